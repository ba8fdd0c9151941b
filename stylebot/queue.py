"""The job queue between the bot and the workers: the requests table, in a fair order.

Fairness is a key fixed when a request is queued (new_round, inside `enqueue`'s INSERT): its round.
A user's first waiting request gets the round being served (that of the latest claim), each further
one the round after the user's last queued or running one. Workers take the lowest (round, id), the
first entry of an index, so every user's first waiting request goes before anyone's second, a
newcomer's first before the second of those already waiting, ties by arrival (the id, drawn when
the row is inserted), and a job handed back keeps its round and goes first. A claim costs the same
at 10 or 100,000 queued (stylebot.positions says where a request stands in that order).

A claimed job is held under a lease: its worker says it is alive in its own row of the workers
table (one write per worker, whatever it runs; a job's row is written only for progress), and a
running job expires when neither its worker's row nor its own was written within the lease. Every
later write of the worker is fenced (`held`: still running, still this worker's), so a worker that
lost its job (a cancel, an expired lease) can never overwrite what became of it. Two workers never
take the same job: PostgreSQL picks the row with FOR UPDATE SKIP LOCKED, SQLite serialises writers
and the row count decides. The worker's calls are synchronous (its own thread), the bot's asynchronous.

Queuing a request wakes idle workers, and a claim, progress or an outcome wakes the bot's notifier
(stylebot.wakeups), in the transaction that made the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Update,
    case,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from stylebot import wakeups
from stylebot.choices import Brush, Size, Strength
from stylebot.models import ACTIVE, Picture, Request, Status, User, Worker, utcnow
from stylebot.outcomes import Failure

# The order workers claim queued requests in; ix_requests_queue serves it after the status.
CLAIM_ORDER = (Request.queue_round, Request.id)


@dataclass(frozen=True)
class Job:
    """A claimed request, as the engine needs it."""

    id: int
    content_image: bytes
    style_image: bytes
    strength: Strength
    attempts: int
    keep_colors: bool = False
    size: Size = Size.STANDARD
    compare: bool = False  # light, medium and strong, side by side (Variant rows)
    brush: Brush = Brush.MEDIUM


def new_round(user_id: int) -> ColumnElement[int]:
    """The round of a request `user_id` queues now, as SQL for the INSERT itself.

    Evaluated inside the INSERT, so on SQLite (one writer at a time) it sees every request committed
    before; on PostgreSQL `enqueue` locks the user's row first.
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


async def enqueue(
    *,
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    content_file_id: str,
    content_image: bytes,
    style_file_id: str,
    style_image: bytes,
    strength: Strength,
    keep_colors: bool = False,
    size: Size = Size.STANDARD,
    style_name: str | None = None,
    compare: bool = False,
    update_id: int | None = None,
    status_message_id: int | None = None,
    brush: Brush = Brush.MEDIUM,
) -> Request:
    """Queues a request at its fair place (its round).

    On PostgreSQL the user's row is locked first, so two requests of one user queued at the same
    moment get one round after the other (SQLite has one writer at a time): a user's own requests
    are claimed in the order they were inserted.
    """
    await session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))
    request = Request(
        user_id=user_id,
        chat_id=chat_id,
        content_file_id=content_file_id,
        content_image=content_image,
        style_file_id=style_file_id,
        style_image=style_image,
        style_name=style_name,
        strength=strength,
        keep_colors=keep_colors,
        size=size,
        compare=compare,
        brush=brush,
        update_id=update_id,
        status=Status.QUEUED,
        queue_round=new_round(user_id),
        progress=0.0,
        attempts=0,
        created_at=utcnow(),
        status_message_id=status_message_id,
    )
    session.add(request)
    await session.flush()
    await wakeups.announce(session, wakeups.JOBS)
    return request


def queue_order() -> Select[int]:
    """The queued requests' ids in the order workers claim them."""
    return select(Request.id).where(Request.status == Status.QUEUED).order_by(*CLAIM_ORDER)


def _expire_leases(
    conn: Connection, *, lease_seconds: int, max_attempts: int, worker: str | None = None
) -> int:
    """Running jobs whose worker said nothing within the lease (in its workers row, or the job's
    own heartbeat_at: its claim, its progress) go back to the queue, keeping their round (so they go
    first); those that had their last attempt fail. With `worker`: that worker's jobs, whatever
    their time (it has just started again under the same name: those jobs died with it).

    Both look at running requests only (an index on the status), never at the queue.
    """
    now = utcnow()
    if worker is not None:
        expired: tuple[ColumnElement[bool], ...] = (
            Request.status == Status.RUNNING,
            Request.worker == worker,
        )
    else:
        cutoff = now - timedelta(seconds=lease_seconds)
        alive = exists().where(Worker.name == Request.worker, Worker.seen_at >= cutoff)
        expired = (Request.status == Status.RUNNING, Request.heartbeat_at < cutoff, ~alive)
    failed_now = conn.execute(
        update(Request)
        .where(*expired, Request.attempts >= max_attempts)
        .values(status=Status.FAILED, error=Failure.LOST_WORKER, finished_at=now)
    ).rowcount
    back = conn.execute(
        update(Request)
        .where(*expired, Request.attempts < max_attempts)
        .values(status=Status.QUEUED, worker=None, started_at=None, heartbeat_at=None, progress=0.0)
    ).rowcount
    return int(failed_now or 0) + int(back or 0)


def expire_leases(engine: Engine, *, lease_seconds: int, max_attempts: int, worker: str | None = None) -> int:
    """_expire_leases in a transaction of its own; how many jobs it ended or put back. Those wake
    the workers and the notifier (a quiet check wakes nobody, the worker that made it included)."""
    with engine.begin() as conn:
        changed = _expire_leases(conn, lease_seconds=lease_seconds, max_attempts=max_attempts, worker=worker)
        if changed:
            wakeups.notify_within(conn, wakeups.JOBS)
            wakeups.notify_within(conn, wakeups.EVENTS)
    if changed:
        wakeups.notify_after(engine, wakeups.JOBS)
        wakeups.notify_after(engine, wakeups.EVENTS)
    return changed


def claim_next_job(
    engine: Engine, *, worker: str, lease_seconds: int, max_attempts: int, expire: bool = True
) -> Job | None:
    """Takes the first queued job in the fair order for `worker`, atomically; with `expire`, a job
    whose worker's lease expired is back in the queue first, at its old place (a worker loop does
    that every so often, not at every claim: stylebot.queue.expire_leases)."""
    with engine.begin() as conn:
        if expire:
            _expire_leases(conn, lease_seconds=lease_seconds, max_attempts=max_attempts)
        row = conn.execute(_claim(worker=worker, max_attempts=max_attempts)).first()
        if row is not None:  # the notifier shows the user it started
            wakeups.notify_within(conn, wakeups.EVENTS)
    if row is None:
        return None
    wakeups.notify_after(engine, wakeups.EVENTS)
    # The pictures, read after the claim: the claim itself (a lock on the queue) never reads bytes.
    wanted = select(Picture.hash, Picture.data).where(Picture.hash.in_([row.content_hash, row.style_hash]))
    with engine.connect() as conn:
        found = {digest: data for digest, data in conn.execute(wanted)}
    content, style = found.get(row.content_hash), found.get(row.style_hash)
    if content is None or style is None:
        write_held(engine, job_id=row.id, worker=worker, values=failed(Failure.PICTURES_DELETED))
        return None
    fields = {k: v for k, v in row._mapping.items() if k not in ("content_hash", "style_hash")}
    return Job(content_image=content, style_image=style, **fields)


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
            Request.content_hash,
            Request.style_hash,
            Request.strength,
            Request.attempts,
            Request.keep_colors,
            Request.size,
            Request.compare,
            Request.brush,
        )
    )


def held(job_id: int, worker: str) -> tuple[ColumnElement[bool], ...]:
    """The lease fence: the job is still running, and still this worker's."""
    return (Request.id == job_id, Request.worker == worker, Request.status == Status.RUNNING)


def write_held(engine: Engine, *, job_id: int, worker: str, values: dict[str, Any]) -> bool:
    """Writes `values` to the job if `worker` still holds it, and wakes the notifier; False when it
    no longer holds it."""
    with wakeups.announcing(engine, wakeups.EVENTS) as conn:
        return conn.execute(update(Request).where(*held(job_id, worker)).values(**values)).rowcount == 1


def heartbeat(engine: Engine, *, job_id: int, worker: str, progress: float | None = None) -> bool:
    """Renews the lease (and records progress); False when the job is no longer ours (cancelled)."""
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if progress is not None:
        values["progress"] = progress
    return write_held(engine, job_id=job_id, worker=worker, values=values)


def failed(error: str) -> dict[str, Any]:
    """A job's columns once it failed with `error` (a stylebot.outcomes.Failure)."""
    return {"status": Status.FAILED, "error": error[:2000], "finished_at": utcnow()}


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
    return write_held(engine, job_id=job_id, worker=worker, values=handed_back())


async def release_jobs_of_workers(*, session: AsyncSession, prefix: str) -> int:
    """Puts back in the queue the running jobs of the workers whose names begin with `prefix`
    (gone with the bot that started them), without spending an attempt; returns how many."""
    result = await session.execute(
        update(Request)
        .where(Request.status == Status.RUNNING, Request.worker.startswith(prefix, autoescape=True))
        .values(handed_back())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
