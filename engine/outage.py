"""The database away: a job loop waits between tries with pauses that double, and a job's own
writes (its work, its result, its failure, its hand-back) are tried again for as long as its lease."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

FIRST_DB_PAUSE_SECONDS = 0.5  # the first wait once the database is away: an idle loop's look (engine.worker)
MAX_DB_PAUSE_SECONDS = 5.0  # the longest wait between tries while the database is away


def next_pause(pause: float) -> float:
    """The wait after one of `pause`: twice as long, up to MAX_DB_PAUSE_SECONDS."""
    return min(pause * 2, MAX_DB_PAUSE_SECONDS)


def save_through_outage(
    write: Callable[[], object], *, job_id: int, what: str, lease_seconds: float, beat: Callable[[], None]
) -> None:
    """Retries a write through a database outage, for up to the lease: after that the job
    may be another worker's, and the fenced writes of stylebot.queue would refuse it. `beat` tells
    the loop's health that it waits, not hangs."""
    deadline = time.monotonic() + lease_seconds
    pause = FIRST_DB_PAUSE_SECONDS
    while True:
        try:
            write()
            return
        except SQLAlchemyError as exc:
            if time.monotonic() > deadline:
                log.error("job %d: could not record %s: database unavailable", job_id, what)
                return
            log.warning("job %d: recording %s failed (%s); retrying", job_id, what, type(exc).__name__)
            beat()
            time.sleep(pause)
            pause = next_pause(pause)
