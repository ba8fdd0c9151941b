"""The worker's side of the job queue (sync SQLAlchemy): claim, heartbeat, finish.

The requests table is the queue. A claim is one UPDATE whose WHERE re-checks the status, so two
workers can never take the same job: PostgreSQL picks the row with FOR UPDATE SKIP LOCKED, SQLite
serialises writers and the row count decides.

Fairness is a key fixed when a request is queued (new_round, called by stylebot.store.create_request):
its round. A user's first waiting request gets the round being served (that of the latest claim),
each further one the round after the user's last queued or running one. Workers take the lowest
(round, id), the first entry of an index, so every user's first waiting request goes before
anyone's second, a newcomer's first before the second of those already waiting, ties by arrival
(the id, drawn when the row is inserted), and a job handed back keeps its round and goes first.
A claim costs the same at 10 or 100,000 queued.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, Update, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from stylebot.choices import Size
from stylebot.models import ACTIVE, Request, Status, Variant, Worker, utcnow
from stylebot.outcomes import Failure

# The order workers claim queued requests in; ix_requests_queue serves it after the status.
CLAIM_ORDER = (Request.queue_round, Request.id)


@dataclass(frozen=True)
class Job:
    id: int
    content_image: bytes
    style_image: bytes
    strength: str
    attempts: int
    keep_colors: bool = False
    size: str = Size.STANDARD
    compare: bool = False  # light, medium and strong, side by side (Variant rows)


@dataclass(frozen=True)
class Painted:
    """A picture a job made: its JPEG, size, and (for a comparison) its strength."""

    image: bytes
    width: int
    height: int
    strength: str | None = None


def new_round(user_id: int) -> ColumnElement[int]:
    """The round of a request `user_id` queues now, as SQL for the INSERT itself.

    Evaluated inside the INSERT, so on SQLite (one writer at a time) it sees every request committed
    before; on PostgreSQL the caller locks the user's row first (see store.create_request).
    """
    claimed, own = aliased(Request), aliased(Request)
    serving = func.coalesce(  # ix_requests_claimed_round: one index entry
        select(claimed.queue_round)
        .where(claimed.started_at.is_not(None))
        .order_by(claimed.queue_round.desc())
        .limit(1)
        .scalar_subquery(),
        0,
    )
    after_own = (  # ix_requests_user_status_round: the user's few active requests
        select(func.max(own.queue_round) + 1)
        .where(own.user_id == user_id, own.status.in_(ACTIVE))
        .scalar_subquery()
    )
    return case((after_own > serving, after_own), else_=serving)


def queue_order() -> Select[int]:
    """The queued requests' ids in the order workers claim them."""
    return select(Request.id).where(Request.status == Status.QUEUED).order_by(*CLAIM_ORDER)


def _expire_leases(conn: Connection, *, lease_seconds: int, max_attempts: int) -> None:
    """Running jobs whose worker wrote no heartbeat within the lease go back to the queue, keeping
    their round (so they go first); those that had their last attempt fail.

    Both look at running requests only (an index on the status), never at the queue.
    """
    now = utcnow()
    expired = (
        Request.status == Status.RUNNING,
        Request.heartbeat_at < now - timedelta(seconds=lease_seconds),
    )
    conn.execute(
        update(Request)
        .where(*expired, Request.attempts >= max_attempts)
        .values(status=Status.FAILED, error=Failure.LOST_WORKER, finished_at=now)
    )
    conn.execute(
        update(Request)
        .where(*expired, Request.attempts < max_attempts)
        .values(status=Status.QUEUED, worker=None, started_at=None, heartbeat_at=None, progress=0.0)
    )


def claim_next_job(engine: Engine, *, worker: str, lease_seconds: int, max_attempts: int) -> Job | None:
    """Takes the first queued job in the fair order for `worker`, atomically; a job whose worker's
    lease expired is back in the queue by then, at its old place."""
    with engine.begin() as conn:
        _expire_leases(conn, lease_seconds=lease_seconds, max_attempts=max_attempts)
        row = conn.execute(_claim(worker=worker, max_attempts=max_attempts)).first()
    if row is None:
        return None
    if row.content_image is None or row.style_image is None:
        finish_failed(engine, job_id=row.id, worker=worker, error=Failure.PICTURES_DELETED)
        return None
    return Job(
        row.id,
        row.content_image,
        row.style_image,
        row.strength,
        row.attempts,
        row.keep_colors,
        row.size,
        row.compare,
    )


def _claim(*, worker: str, max_attempts: int) -> Update:
    """The UPDATE that takes the head of the queue; its clock is read as late as possible, so
    claims made one after the other by several workers start in that order."""
    candidate = (
        select(Request.id)
        .where(Request.status == Status.QUEUED, Request.attempts < max_attempts)
        .order_by(*CLAIM_ORDER)
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite ignores it and serialises writers
        .scalar_subquery()
    )
    now = utcnow()
    return (
        update(Request)
        .where(Request.id == candidate, Request.status == Status.QUEUED)
        .values(
            status=Status.RUNNING,
            worker=worker,
            started_at=now,
            heartbeat_at=now,
            progress=0.0,
            attempts=Request.attempts + 1,
        )
        .returning(
            Request.id,
            Request.content_image,
            Request.style_image,
            Request.strength,
            Request.attempts,
            Request.keep_colors,
            Request.size,
            Request.compare,
        )
    )


def heartbeat(engine: Engine, *, job_id: int, worker: str, progress: float | None = None) -> bool:
    """Renews the lease (and records progress); False when the job is no longer ours (cancelled)."""
    values: dict[str, object] = {"heartbeat_at": utcnow()}
    if progress is not None:
        values["progress"] = progress
    with engine.begin() as conn:
        result = conn.execute(
            update(Request)
            .where(Request.id == job_id, Request.worker == worker, Request.status == Status.RUNNING)
            .values(**values)
        )
        return result.rowcount == 1


def finish_done(
    engine: Engine,
    *,
    job_id: int,
    worker: str,
    result_image: bytes,
    width: int,
    height: int,
    device: str,
    seconds: float,
    note: str | None = None,
    variants: Sequence[Painted] = (),
) -> bool:
    """Records the result (and a comparison's pictures), if the job is still this worker's."""
    with engine.begin() as conn:
        result = conn.execute(
            update(Request)
            .where(Request.id == job_id, Request.worker == worker, Request.status == Status.RUNNING)
            .values(
                status=Status.DONE,
                progress=1.0,
                result_image=result_image,
                output_width=width,
                output_height=height,
                device=device,
                engine_seconds=seconds,
                note=note,
                finished_at=utcnow(),
            )
        )
        if result.rowcount != 1:
            return False
        if variants:
            conn.execute(
                insert(Variant),
                [
                    {
                        "request_id": job_id,
                        "strength": v.strength,
                        "image": v.image,
                        "width": v.width,
                        "height": v.height,
                    }
                    for v in variants
                ],
            )
        return True


def finish_failed(engine: Engine, *, job_id: int, worker: str, error: str) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(Request)
            .where(Request.id == job_id, Request.worker == worker, Request.status == Status.RUNNING)
            .values(status=Status.FAILED, error=error[:2000], finished_at=utcnow())
        )
        return result.rowcount == 1


def handed_back() -> dict[str, Any]:
    """A running job's columns once it is back in the queue, its attempt not spent (it keeps its
    round, so it is claimed first)."""
    return {
        "status": Status.QUEUED,
        "worker": None,
        "started_at": None,
        "heartbeat_at": None,
        "progress": 0.0,
        "attempts": Request.attempts - 1,
    }


def release(engine: Engine, *, job_id: int, worker: str) -> bool:
    """Hands a running job back to the queue (worker shutting down) without spending an attempt."""
    with engine.begin() as conn:
        result = conn.execute(
            update(Request)
            .where(Request.id == job_id, Request.worker == worker, Request.status == Status.RUNNING)
            .values(handed_back())
        )
        return result.rowcount == 1


def record_worker(engine: Engine, *, name: str, device: str, starting: bool = False) -> None:
    """Notes that worker `name` is alive (for /stats and the bot's waiting-time estimate)."""
    now = utcnow()
    values: dict[str, object] = {"device": device, "seen_at": now}
    if starting:
        values["started_at"] = now
    with engine.begin() as conn:
        if conn.execute(update(Worker).where(Worker.name == name).values(**values)).rowcount:
            return
    try:
        with engine.begin() as conn:
            conn.execute(insert(Worker).values(name=name, device=device, started_at=now, seen_at=now))
    except IntegrityError:  # another process of the same name inserted it first: it is seen
        pass
