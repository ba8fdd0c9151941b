"""A running job's heartbeat: a thread beside the engine's that keeps the worker's row fresh (the
lease of its jobs), writes the job's progress and its picture so far, and finds out when the job is
no longer ours (cancelled by its user, or reclaimed by another worker)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine

from engine.watching import JobWatch
from stylebot import queue

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0  # the heartbeat thread's tick
PROGRESS_BEATS = 2  # a job's row (its progress, and the check that it is still ours) every 2nd tick


@dataclass
class Running:
    """What the heartbeat thread shares with the job: the latest progress, and whether to stop."""

    progress: float = 0.0
    lost: bool = False  # cancelled by the user, or reclaimed by another worker
    deadline: float = float("inf")  # time.monotonic() after which the job is stopped
    watch: JobWatch | None = None  # the picture so far and the job's work (engine.watching)

    def overdue(self) -> bool:
        return time.monotonic() > self.deadline


@contextmanager
def heartbeat(
    db: Engine, *, job_id: int, worker: str, state: Running, say_alive: Callable[[], object]
) -> Iterator[None]:
    """Beats for the job in a thread of its own while the block runs; the block's end stops the
    thread and waits for it, so no write of the heartbeat's follows the job's outcome."""
    done = threading.Event()
    beat = threading.Thread(target=_beat, args=(db, job_id, worker, state, done, say_alive), daemon=True)
    beat.start()
    try:
        yield
    finally:
        done.set()
        beat.join()


def _beat(
    db: Engine,
    job_id: int,
    worker: str,
    state: Running,
    done: threading.Event,
    say_alive: Callable[[], object],
) -> None:
    beats = 0
    while not done.wait(HEARTBEAT_SECONDS):
        say_alive()
        beats += 1
        if beats % PROGRESS_BEATS:
            continue
        try:
            if not queue.heartbeat(db, job_id=job_id, worker=worker, progress=state.progress):
                state.lost = True
                return
            if state.watch is not None:
                state.watch.flush()
        except Exception:  # the database may be briefly away; the lease covers a few misses
            log.warning("job %d: heartbeat failed", job_id, exc_info=True)
