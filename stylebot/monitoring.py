"""What the bot's /metrics endpoint reads from the database (bot/runtime/dbgauges.py), and what the
bot's and the workers' endpoints share.

Each read is served by an index whose first column is the status, so its cost follows the rows it
counts, never the whole table: the queue (at most the queued requests), the few running ones, and
the requests finished since the last read. Counting every finished request ever is the one read
that grows with the history; `finished_totals` does it, and its caller runs it rarely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot import positions
from stylebot.models import Request, Status, Worker
from stylebot.stats import ALIVE

FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)
# The text format prometheus_client.generate_latest writes (version 0.0.4, which every Prometheus reads).
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"
# Seconds a job takes, in the bot's histogram (from the database) and each worker's (its own jobs):
# a few on a GPU, tens on a CPU, up to the time limit. The same buckets, so the two compare.
JOB_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200)


@dataclass(frozen=True)
class QueueNow:
    queued: int
    running: int
    oldest_queued_at: datetime | None
    workers_alive: int  # seen within stylebot.stats.ALIVE, as /stats counts them


@dataclass(frozen=True)
class FinishedRequest:
    id: int
    status: Status
    created_at: datetime
    started_at: datetime | None  # the last claim; None when cancelled before any worker took it
    finished_at: datetime


async def limit_statement_time(*, session: AsyncSession, seconds: float) -> None:
    """On PostgreSQL, the server cancels any statement of this transaction running longer (a lock
    held elsewhere, a slow disk), so a reader gets an error rather than waiting. SQLite: nothing."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            select(func.set_config("statement_timeout", str(max(1, int(seconds * 1000))), True))
        )


async def queue_now(*, session: AsyncSession, now: datetime) -> QueueNow:
    running = await session.scalar(
        select(func.count()).select_from(Request).where(Request.status == Status.RUNNING)
    )
    oldest = await session.scalar(  # ix_requests_status_created: one index entry
        select(func.min(Request.created_at)).where(Request.status == Status.QUEUED)
    )
    workers = await session.scalar(
        select(func.count()).select_from(Worker).where(Worker.seen_at >= now - ALIVE)
    )
    return QueueNow(
        queued=await positions.queue_depth(session=session),
        running=int(running or 0),
        oldest_queued_at=oldest,
        workers_alive=int(workers or 0),
    )


async def finished_after(*, session: AsyncSession, after: datetime, limit: int) -> list[FinishedRequest]:
    """Up to `limit` requests that finished (done, failed, cancelled) after `after`, oldest first
    (ix_requests_status_finished: one short range per status)."""
    rows = await session.execute(
        select(Request.id, Request.status, Request.created_at, Request.started_at, Request.finished_at)
        .where(Request.status.in_(FINISHED), Request.finished_at > after)
        .order_by(Request.finished_at, Request.id)
        .limit(limit)
    )
    return [FinishedRequest(**row._mapping) for row in rows]


async def finished_totals(*, session: AsyncSession) -> dict[str, int]:
    """How many requests ever finished, by status: an index-only count over ix_requests_status_finished,
    proportional to the history."""
    rows = await session.execute(
        select(Request.status, func.count()).where(Request.status.in_(FINISHED)).group_by(Request.status)
    )
    totals = {str(status): 0 for status in FINISHED}
    totals.update({status: int(count) for status, count in rows})
    return totals
