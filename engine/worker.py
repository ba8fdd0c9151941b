"""A job loop: claims queued jobs and hands each to engine.job, which runs it on a loaded network,
until told to stop; between jobs it waits for wake-ups, puts expired leases back, says it is alive,
and waits out a database outage (engine.process starts the loops)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from functools import partial

import torch
from PIL import Image
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from engine import transfer
from engine.health import WorkerHealth
from engine.heartbeat import Running
from engine.job import JobRunner
from engine.outage import FIRST_DB_PAUSE_SECONDS, next_pause
from engine.params import StyleParams, params_for
from engine.results import Cancelled
from engine.vgg import FeatureNet
from engine.watching import probe
from stylebot import queue, stats, wakeups
from stylebot.choices import Size
from stylebot.database import make_engine
from stylebot.settings import Settings

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 0.5  # an idle loop's look at its stop event and health; no query (stylebot.wakeups)

SEEN_SECONDS = 10.0  # how often a busy worker says it is alive: its heartbeat (workers table)
IDLE_SEEN_SECONDS = 30.0  # and an idle one, for /stats (which counts those seen within a minute)


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    def __init__(
        self,
        settings: Settings,
        *,
        name: str,
        device: torch.device,
        net: FeatureNet,
        health: WorkerHealth | None = None,
    ) -> None:
        self.settings = settings
        self.name = name
        self.device = device
        self.net = net
        self.db: Engine = make_engine(settings.database_url)
        self._seen_at = 0.0
        self._expired_at = 0.0
        self._busy = False
        self.wake = wakeups.Listener(settings.database_url, wakeups.JOBS, enabled=settings.queue_wakeups)
        self.health = health
        if health is not None:
            health.watch_database(self.db)
        self.jobs = JobRunner(
            settings,
            db=self.db,
            name=name,
            device=device,
            net=net,
            health=health,
            beat=self._beat,
            say_alive=self._say_alive,
        )

    def _beat(self) -> None:
        """Tells the health endpoint this loop is not stuck (engine.health)."""
        if self.health is not None:
            self.health.beat(self.name)

    def size_params(self, size: Size) -> StyleParams:
        """A default job's parameters at `size` on this device."""
        return params_for(self.device, size, self.settings)

    def _say_alive(self) -> bool:
        """Writes the worker's row when due: its heartbeat, which holds the leases of the jobs it
        runs. True when it wrote (or tried to)."""
        every = min(SEEN_SECONDS, self.settings.job_lease_seconds / 4) if self._busy else IDLE_SEEN_SECONDS
        if self._seen_at and time.monotonic() - self._seen_at < every:
            return False
        try:
            stats.record_worker(
                self.db, name=self.name, device=str(self.device), starting=self._seen_at == 0.0
            )
            self._seen_at = time.monotonic()
        except Exception:  # the database may be briefly away: say so next round
            log.warning("worker %s: could not record itself as alive", self.name, exc_info=True)
        return True

    def _chores(self) -> bool:
        """An idle round's visit to the database other than a claim, when one is due: the lease
        check (every half lease, not at every claim) or saying it is alive. True if it made one:
        the round then skips its claim, so an idle worker makes one visit a poll. A job the lease
        check put back wakes the workers (stylebot.wakeups), this one too."""
        if time.monotonic() - self._expired_at > self.settings.job_lease_seconds / 2:
            self._expire()
            return True
        return self._say_alive()

    def run(self, stop: threading.Event) -> None:
        """Takes jobs until `stop` is set; a job running then is handed back to the queue.

        While the database cannot be reached it waits and tries again, with pauses that double.
        """
        pause = FIRST_DB_PAUSE_SECONDS
        self._probe(stop)
        woken = True  # the first round claims, as does a round after a wake-up or a job
        self._say_alive()
        while not stop.is_set():
            self._beat()
            try:
                if not self._expired_at:  # jobs left under this name died with its previous process
                    self._expire(worker=self.name)
                if not woken and self._chores():
                    woken = self._idle(stop)
                    continue
                job = queue.claim_next_job(
                    self.db,
                    worker=self.name,
                    lease_seconds=self.settings.job_lease_seconds,
                    max_attempts=self.settings.job_max_attempts,
                    expire=False,
                )
            except SQLAlchemyError as exc:
                log.warning(
                    "worker %s: database unavailable (%s); retrying in %.0f s",
                    self.name,
                    type(exc).__name__,
                    pause,
                )
                stop.wait(pause)
                pause = next_pause(pause)
                continue
            pause = FIRST_DB_PAUSE_SECONDS
            if job is None:
                woken = self._idle(stop)
                continue
            self._busy = True
            self.jobs.process(job, stop)
            self._busy = False
            woken = True
        self.wake.close()
        if self.health is not None:
            self.health.loop_stopped(self.name)

    def _expire(self, worker: str | None = None) -> None:
        """Jobs whose lease expired (or, with `worker`, that worker's) back in the queue."""
        queue.expire_leases(
            self.db,
            lease_seconds=self.settings.job_lease_seconds,
            max_attempts=self.settings.job_max_attempts,
            worker=worker,
        )
        self._expired_at = time.monotonic()

    def _idle(self, stop: threading.Event) -> bool:
        """Waits for a wake-up (a job queued), or for the slow poll, while watching `stop`; True
        when woken."""
        deadline = time.monotonic() + self.settings.queue_poll_seconds
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            self._beat()
            if self.wake.wait(min(left, IDLE_POLL_SECONDS)):
                return True
        return False

    def _probe(self, stop: threading.Event) -> None:
        """Measures the device's speed before the first job, so that its user is told a time. The
        engine itself, whatever stands in for it in jobs; the loop beats at every step."""

        def paint(content: Image.Image, style: Image.Image, params: StyleParams) -> object:
            should_stop = partial(self.jobs.should_stop, Running(), stop)
            return transfer.stylize(content, style, net=self.net, params=params, should_stop=should_stop)

        try:
            probe(self.db, device=str(self.device), paint=paint, params_of=self.size_params)
        except Cancelled:  # stopped before it began
            pass
        except Exception:  # no estimate until the first job is measured; the worker works anyway
            log.warning("worker %s: speed probe failed", self.name, exc_info=True)
