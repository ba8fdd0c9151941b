"""A job loop: claims queued jobs and runs them on a loaded network until told to stop; holds each
job's lease with a heartbeat, and records its outcome (engine.process starts the loops)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import torch
from PIL import Image
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from engine import transfer
from engine.health import JobOutcome, WorkerHealth
from engine.params import StyleParams, params_for
from engine.results import Cancelled, StylizeResult
from engine.transfer import stylize, stylize_many
from engine.vgg import FeatureNet
from engine.watching import JobWatch, probe, record_speed
from stylebot import queue, stats, wakeups
from stylebot.choices import OFFERED_STRENGTHS, Size, Strength
from stylebot.database import make_engine
from stylebot.images import BadImage, decode_rgb, encode
from stylebot.outcomes import Failure, Note
from stylebot.results import Painted, finish_done, finish_failed
from stylebot.settings import Settings

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0  # the heartbeat thread's tick
PROGRESS_BEATS = 2  # a job's row (its progress, and the check that it is still ours) every 2nd tick
IDLE_POLL_SECONDS = 0.5  # an idle loop's look at its stop event and health; no query (stylebot.wakeups)

MAX_DB_PAUSE_SECONDS = 5.0  # the longest wait between tries while the database is away
SEEN_SECONDS = 10.0  # how often a busy worker says it is alive: its heartbeat (workers table)
IDLE_SEEN_SECONDS = 30.0  # and an idle one, for /stats (which counts those seen within a minute)


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Made:
    """What a job made: its result and, for a comparison, every strength's picture."""

    image: Image.Image  # for a comparison, its middle strength (the request's own)
    variants: list[tuple[Strength, Image.Image]]
    seconds: float
    note: Note | None

    @classmethod
    def of(cls, results: Sequence[StylizeResult], strengths: Sequence[Strength | None]) -> Made:
        note = Note.SMALLER_FOR_MEMORY if any(r.smaller is not None for r in results) else None
        variants = [(s, r.image) for s, r in zip(strengths, results, strict=True) if s is not None]
        # Each result counts the seconds of the whole call, which made them all together.
        return cls(results[len(results) // 2].image, variants, max(r.seconds for r in results), note)


@dataclass
class _Running:
    """What the heartbeat thread shares with the job: the latest progress, and whether to stop."""

    progress: float = 0.0
    lost: bool = False  # cancelled by the user, or reclaimed by another worker
    deadline: float = float("inf")  # time.monotonic() after which the job is stopped
    watch: JobWatch | None = None  # the picture so far and the job's work (engine.watching)

    def overdue(self) -> bool:
        return time.monotonic() > self.deadline


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

    def _beat(self) -> None:
        """Tells the health endpoint this loop is not stuck (engine.health)."""
        if self.health is not None:
            self.health.beat(self.name)

    def size_params(self, size: Size) -> StyleParams:
        """A default job's parameters at `size` on this device."""
        return params_for(self.device, size, self.settings)

    def job_params(self, job: queue.Job) -> StyleParams:
        """The job's parameters on this device."""
        return params_for(
            self.device,
            job.size,
            self.settings,
            strength=job.strength,
            keep_colors=job.keep_colors,
            brush=job.brush,
        )

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
        pause = IDLE_POLL_SECONDS
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
                pause = min(pause * 2, MAX_DB_PAUSE_SECONDS)
                continue
            pause = IDLE_POLL_SECONDS
            if job is None:
                woken = self._idle(stop)
                continue
            self._busy = True
            self.process(job, stop)
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
            should_stop = partial(self._should_stop, _Running(), stop)
            return transfer.stylize(content, style, net=self.net, params=params, should_stop=should_stop)

        try:
            probe(self.db, device=str(self.device), paint=paint, params_of=self.size_params)
        except Cancelled:  # stopped before it began
            pass
        except Exception:  # no estimate until the first job is measured; the worker works anyway
            log.warning("worker %s: speed probe failed", self.name, exc_info=True)

    def _save(self, job_id: int, what: str, write: Callable[[], object]) -> None:
        """Retries a write through a database outage, for up to the lease: after that the job
        may be another worker's, and the fenced writes of stylebot.queue would refuse it."""
        deadline = time.monotonic() + self.settings.job_lease_seconds
        pause = IDLE_POLL_SECONDS
        while True:
            try:
                write()
                return
            except SQLAlchemyError as exc:
                if time.monotonic() > deadline:
                    log.error("job %d: could not record %s: database unavailable", job_id, what)
                    return
                log.warning("job %d: recording %s failed (%s); retrying", job_id, what, type(exc).__name__)
                self._beat()
                time.sleep(pause)
                pause = min(pause * 2, MAX_DB_PAUSE_SECONDS)

    def process(self, job: queue.Job, stop: threading.Event) -> None:
        log.info("job %d: started (attempt %d)", job.id, job.attempts)
        started = self.health.job_started() if self.health is not None else 0.0
        state = _Running(deadline=time.monotonic() + self.settings.engine_time_limit_seconds)
        state.watch = JobWatch(self.db, job_id=job.id)
        done = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(job.id, state, done), daemon=True)
        beat.start()
        try:
            outcome = self._stylize(job, state, stop)
        finally:
            done.set()
            beat.join()
        self._watched(job, state.watch, outcome)
        if outcome is None and state.overdue() and not state.lost:
            outcome = Failure.TIME_LIMIT
        if outcome is None:
            if stop.is_set() and not state.lost:
                self._save(
                    job.id, "the hand-back", lambda: queue.release(self.db, job_id=job.id, worker=self.name)
                )
                log.info("job %d: handed back to the queue (worker stopping)", job.id)
                self._ended(JobOutcome.HANDED_BACK, started)
            else:
                log.info("job %d: cancelled", job.id)
                self._ended(JobOutcome.CANCELLED, started)
        elif isinstance(outcome, Failure):
            failure = outcome
            self._save(
                job.id,
                "the failure",
                lambda: finish_failed(self.db, job_id=job.id, worker=self.name, error=failure),
            )
            log.info("job %d: failed: %s", job.id, outcome)
            self._ended(JobOutcome.FAILED, started)
        else:
            made = outcome
            image = made.image
            result = encode(image, "JPEG")
            variants = [
                Painted(encode(picture, "JPEG"), picture.width, picture.height, strength)
                for strength, picture in made.variants
            ]
            self._save(
                job.id,
                "the result",
                lambda: finish_done(
                    self.db,
                    job_id=job.id,
                    worker=self.name,
                    result_image=result,
                    width=image.width,
                    height=image.height,
                    device=str(self.device),
                    seconds=made.seconds,
                    note=made.note,
                    variants=variants,
                ),
            )
            log.info("job %d: done in %.1f s (%dx%d)", job.id, made.seconds, image.width, image.height)
            self._ended(JobOutcome.DONE, started)

    def _watched(self, job: queue.Job, watch: JobWatch, outcome: Made | Failure | None) -> None:
        """The job's preview goes; a job done tells the speed it measured."""
        try:
            watch.end()
            if isinstance(outcome, Made) and watch.work:
                params = self.job_params(job)
                record_speed(
                    self.db,
                    device=str(self.device),
                    size=job.size,
                    params=params,
                    work=watch.work,
                    seconds=outcome.seconds,
                )
        except SQLAlchemyError as exc:  # an estimate can wait for the next job
            log.warning("job %d: speed not recorded (%s)", job.id, type(exc).__name__)

    def _ended(self, outcome: JobOutcome, started: float) -> None:
        if self.health is not None:
            self.health.job_ended(outcome, started)

    def _stylize(self, job: queue.Job, state: _Running, stop: threading.Event) -> Made | Failure | None:
        """What the job made; a failure code; or None when stopped."""
        try:
            params = self.job_params(job)
            # A phone's 100-megapixel JPEG is decoded shrunk: no bigger than the result needs.
            content = decode_rgb(
                job.content_image, max_pixels=self.settings.image_max_pixels, max_side=params.max_side
            )
            style = decode_rgb(
                job.style_image, max_pixels=self.settings.image_max_pixels, max_side=params.max_side
            )
            progress = partial(setattr, state, "progress")
            should_stop = partial(self._should_stop, state, stop)
            watch = state.watch
            assert watch is not None
            self._save(
                job.id,
                "the work",
                partial(
                    watch.start,
                    worker=self.name,
                    device=str(self.device),
                    width=content.width,
                    height=content.height,
                    params=params,
                    strengths=OFFERED_STRENGTHS if job.compare else [params.strength],
                ),
            )
            if not job.compare:
                result = stylize(
                    content,
                    style,
                    net=self.net,
                    params=params,
                    progress=progress,
                    should_stop=should_stop,
                    on_preview=watch.preview,
                )
                return Made.of([result], [None])
            results = stylize_many(
                content,
                style,
                net=self.net,
                params=params,
                strengths=OFFERED_STRENGTHS,
                progress=progress,
                should_stop=should_stop,
                on_preview=watch.preview,
            )
            return Made.of(results, list(OFFERED_STRENGTHS))
        except Cancelled:
            return None
        except BadImage as exc:
            log.info("job %d: picture refused by the engine: %s", job.id, exc)
            return Failure.TOO_LARGE if exc.code in ("too_large", "huge") else Failure.BAD_IMAGE
        except torch.OutOfMemoryError:
            log.warning("job %d: out of memory", job.id)
            return Failure.OUT_OF_MEMORY
        except Exception:
            log.exception("job %d: engine error", job.id)
            return Failure.ENGINE

    def _should_stop(self, state: _Running, stop: threading.Event) -> bool:
        self._beat()  # at every evaluation of the loss: the engine is not stuck
        return state.lost or stop.is_set() or state.overdue()

    def _heartbeat(self, job_id: int, state: _Running, done: threading.Event) -> None:
        beats = 0
        while not done.wait(HEARTBEAT_SECONDS):
            self._say_alive()
            beats += 1
            if beats % PROGRESS_BEATS:
                continue
            try:
                if not queue.heartbeat(self.db, job_id=job_id, worker=self.name, progress=state.progress):
                    state.lost = True
                    return
                if state.watch is not None:
                    state.watch.flush()
            except Exception:  # the database may be briefly away; the lease covers a few misses
                log.warning("job %d: heartbeat failed", job_id, exc_info=True)
