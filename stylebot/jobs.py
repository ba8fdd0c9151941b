"""The worker's side of the job queue (sync SQLAlchemy): claim, heartbeat, finish.

The requests table is the queue. A claim is one UPDATE whose WHERE re-checks the status, so two
workers can never take the same job: PostgreSQL picks the row with FOR UPDATE SKIP LOCKED, SQLite
serialises writers and the row count decides.

Fairness: the next job belongs to the user who has waited longest (see _fair_order), so one
user's five requests take turns with everyone else's instead of holding them all back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, case, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from stylebot.models import Request, Status, Worker, utcnow
from stylebot.outcomes import Failure


@dataclass(frozen=True)
class Job:
    id: int
    content_image: bytes
    style_image: bytes
    strength: str
    attempts: int
    keep_colors: bool = False
    size: str = "standard"


def _claimable(expired_before: datetime) -> ColumnElement[bool]:
    return or_(
        Request.status == Status.QUEUED,
        and_(Request.status == Status.RUNNING, Request.heartbeat_at < expired_before),
    )


def _fair_order() -> list[Any]:
    """Claim order: first by the job's place in its user's own line, then by how long they waited.

    The place counts the user's running jobs and their queued jobs created before this one, so every
    user's first waiting job comes before anyone's second, even when workers claim at the same moment.
    A user's wait runs from their oldest queued request or from the start of their last job, whichever
    is later.
    """
    other = aliased(Request)
    place = (
        select(func.count())
        .where(
            other.user_id == Request.user_id,
            or_(
                other.status == Status.RUNNING,
                and_(
                    other.status == Status.QUEUED,
                    or_(
                        other.created_at < Request.created_at,
                        and_(other.created_at == Request.created_at, other.id < Request.id),
                    ),
                ),
            ),
        )
        .scalar_subquery()
    )
    last_start = select(func.max(other.started_at)).where(other.user_id == Request.user_id).scalar_subquery()
    waiting_since = case((last_start > Request.created_at, last_start), else_=Request.created_at)
    return [place, waiting_since, Request.created_at, Request.id]


def queue_order() -> Select[int]:
    """The queued requests' ids in the order workers claim them (positions shown to users)."""
    return select(Request.id).where(Request.status == Status.QUEUED).order_by(*_fair_order())


def fail_abandoned_jobs(engine: Engine, *, lease_seconds: int, max_attempts: int) -> int:
    """Jobs whose lease expired after their last attempt fail; returns how many."""
    now = utcnow()
    with engine.begin() as conn:
        result = conn.execute(
            update(Request)
            .where(
                Request.status == Status.RUNNING,
                Request.heartbeat_at < now - timedelta(seconds=lease_seconds),
                Request.attempts >= max_attempts,
            )
            .values(status=Status.FAILED, error=Failure.LOST_WORKER, finished_at=now)
        )
        return result.rowcount


def claim_next_job(engine: Engine, *, worker: str, lease_seconds: int, max_attempts: int) -> Job | None:
    """Takes the oldest queued job (or one whose worker's lease expired) for `worker`, atomically."""
    fail_abandoned_jobs(engine, lease_seconds=lease_seconds, max_attempts=max_attempts)
    now = utcnow()
    expired_before = now - timedelta(seconds=lease_seconds)
    candidate = (
        select(Request.id)
        .where(_claimable(expired_before), Request.attempts < max_attempts)
        .order_by(*_fair_order())
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite ignores it and serialises writers
        .scalar_subquery()
    )
    statement = (
        update(Request)
        .where(Request.id == candidate, _claimable(expired_before))
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
        )
    )
    with engine.begin() as conn:
        row = conn.execute(statement).first()
    if row is None:
        return None
    if row.content_image is None or row.style_image is None:
        finish_failed(engine, job_id=row.id, worker=worker, error=Failure.PICTURES_DELETED)
        return None
    return Job(
        row.id, row.content_image, row.style_image, row.strength, row.attempts, row.keep_colors, row.size
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
) -> bool:
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
        return result.rowcount == 1


def finish_failed(engine: Engine, *, job_id: int, worker: str, error: str) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(Request)
            .where(Request.id == job_id, Request.worker == worker, Request.status == Status.RUNNING)
            .values(status=Status.FAILED, error=error[:2000], finished_at=utcnow())
        )
        return result.rowcount == 1


def release(engine: Engine, *, job_id: int, worker: str) -> bool:
    """Hands a running job back to the queue (worker shutting down) without spending an attempt."""
    with engine.begin() as conn:
        result = conn.execute(
            update(Request)
            .where(Request.id == job_id, Request.worker == worker, Request.status == Status.RUNNING)
            .values(
                status=Status.QUEUED,
                worker=None,
                started_at=None,
                heartbeat_at=None,
                progress=0.0,
                attempts=Request.attempts - 1,
            )
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
