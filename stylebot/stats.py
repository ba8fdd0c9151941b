"""Figures about the whole service: the waiting-time estimate shown to users, /stats, and the
workers seen alive (each worker records itself)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot import positions
from stylebot.models import Reaction, Request, Status, User, Worker, utcnow

ALIVE = timedelta(minutes=1)  # a worker seen this recently counts as running
RECENT_JOBS = 20  # the waiting-time estimate uses this many of the last finished jobs


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of a non-empty list: a value that was measured, never interpolated."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def _job_seconds(session: AsyncSession, *, since: datetime | None, limit: int) -> list[float]:
    """Wall seconds from claim to finish of recent done jobs, newest first."""
    query = (
        select(Request.started_at, Request.finished_at)
        .where(Request.status == Status.DONE, Request.started_at.is_not(None))
        .order_by(Request.finished_at.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(Request.finished_at >= since)
    rows = await session.execute(query)
    return [(finished - started).total_seconds() for started, finished in rows if finished and started]


def record_worker(engine: Engine, *, name: str, device: str, starting: bool = False) -> None:
    """Notes that worker `name` is alive (for /stats and the waiting-time estimate); called by the
    worker itself, synchronously."""
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


async def workers_alive(session: AsyncSession, *, now: datetime) -> list[str]:
    return list(
        await session.scalars(select(Worker.name).where(Worker.seen_at >= now - ALIVE).order_by(Worker.name))
    )


@dataclass(frozen=True)
class WaitModel:
    """Seconds a job takes (median of recent ones) and how many workers share the queue."""

    job_seconds: float | None
    workers: int

    def wait(self, position: int, own: float | None = None) -> float | None:
        """About how long until the job at `position` (1 = next) is finished: its own job (`own`, when
        the devices' speeds tell it), and its share of the jobs ahead of it, the workers taking them
        side by side. Grows with the position (a ceiling of position / workers would tell positions
        1 and 2 the same)."""
        ahead = self.job_seconds if self.job_seconds is not None else own
        if ahead is None:
            return None
        return (own if own is not None else ahead) + ahead * (position - 1) / max(1, self.workers)


async def wait_model(session: AsyncSession, *, now: datetime) -> WaitModel:
    recent = await _job_seconds(session, since=None, limit=RECENT_JOBS)
    workers = len(await workers_alive(session, now=now))
    return WaitModel(statistics.median(recent) if recent else None, workers)


@dataclass(frozen=True)
class Stats:
    users: int
    requests_today: int
    requests_total: int
    queued: int
    running: int
    p50_seconds: float | None
    p95_seconds: float | None
    failed_today: int
    failed_total: int
    workers: list[str]


async def service_stats(session: AsyncSession, *, now: datetime) -> Stats:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)

    async def count(*conditions: object) -> int:
        query = select(func.count()).select_from(Request).where(*conditions)  # type: ignore[arg-type]
        return int(await session.scalar(query) or 0)

    day = await _job_seconds(session, since=now - timedelta(days=1), limit=100_000)
    return Stats(
        users=int(await session.scalar(select(func.count()).select_from(User)) or 0),
        requests_today=await count(Request.created_at >= midnight),
        requests_total=await count(),
        queued=await positions.queue_depth(session=session),
        running=await count(Request.status == Status.RUNNING),
        p50_seconds=statistics.median(day) if day else None,
        p95_seconds=percentile(day, 0.95) if day else None,
        failed_today=await count(Request.status == Status.FAILED, Request.created_at >= midnight),
        failed_total=await count(Request.status == Status.FAILED),
        workers=await workers_alive(session, now=now),
    )


UP, DOWN = "👍", "👎"


@dataclass(frozen=True)
class ReactionRate:
    """Reactions on results that share one choice: `by` is "style" (value: the gallery style's name,
    None for the user's own), "strength" or "brush"."""

    by: str
    value: str | None
    up: int
    down: int
    total: int


async def reaction_rates(session: AsyncSession) -> list[ReactionRate]:
    """Reactions counted by style, strength (a comparison's picture: its own) and brush, most first."""
    strength = func.coalesce(Reaction.strength, Request.strength)
    rates: list[ReactionRate] = []
    for by, column in (("style", Request.style_name), ("strength", strength), ("brush", Request.brush)):
        rows = await session.execute(
            select(
                column.label("value"),
                func.sum(case((Reaction.emoji == UP, 1), else_=0)),
                func.sum(case((Reaction.emoji == DOWN, 1), else_=0)),
                func.count(),
            )
            .join(Request, Request.id == Reaction.request_id)
            .group_by(column)
            .order_by(func.count().desc(), column)
        )
        rates += [
            ReactionRate(by, value, int(up or 0), int(down or 0), int(n)) for value, up, down, n in rows
        ]
    return rates
