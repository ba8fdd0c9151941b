"""A user's past requests: /history's lines, and the counts the per-user limits look at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.choices import Strength
from stylebot.models import Request, Status


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    created_at: datetime
    strength: Strength
    status: Status
    seconds: float | None
    style_name: str | None
    style_file_id: str
    compare: bool
    output_width: int | None
    output_height: int | None


# The columns a HistoryEntry is made of, in its fields' names.
ENTRY_COLUMNS = (
    Request.id,
    Request.created_at,
    Request.strength,
    Request.status,
    Request.engine_seconds.label("seconds"),
    Request.style_name,
    Request.style_file_id,
    Request.compare,
    Request.output_width,
    Request.output_height,
)


async def recent_requests(*, session: AsyncSession, user_id: int, limit: int = 10) -> list[HistoryEntry]:
    """The user's last `limit` requests, newest first."""
    rows = await session.execute(
        select(*ENTRY_COLUMNS)
        .where(Request.user_id == user_id)
        .order_by(Request.created_at.desc(), Request.id.desc())
        .limit(limit)
    )
    return [HistoryEntry(**row._mapping) for row in rows]


async def recent_paintings(
    *, session: AsyncSession, user_id: int, limit: int = 10
) -> list[tuple[HistoryEntry, bytes]]:
    """The user's last `limit` finished paintings whose picture is still kept, newest first."""
    rows = await session.execute(
        select(*ENTRY_COLUMNS, Request.result_image)
        .where(Request.user_id == user_id, Request.status == Status.DONE, Request.result_image.is_not(None))
        .order_by(Request.created_at.desc(), Request.id.desc())
        .limit(limit)
    )
    found = []
    for row in rows:
        values = dict(row._mapping)
        image = values.pop("result_image")
        found.append((HistoryEntry(**values), image))
    return found


async def count_since(*, session: AsyncSession, user_id: int, since: datetime) -> int:
    """Requests the user made since `since` that count against the daily quota (not our failures)."""
    count = await session.scalar(
        select(func.count())
        .select_from(Request)
        .where(Request.user_id == user_id, Request.created_at >= since, Request.status != Status.FAILED)
    )
    return int(count or 0)


async def count_queued(*, session: AsyncSession, user_id: int) -> int:
    """The user's requests waiting to be painted."""
    count = await session.scalar(
        select(func.count())
        .select_from(Request)
        .where(Request.user_id == user_id, Request.status == Status.QUEUED)
    )
    return int(count or 0)
