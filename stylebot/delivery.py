"""What the bot's notifier reads and marks: the requests whose users have not yet been told their
outcome (to deliver), the running and queued ones (to show their status), and the record that a
user was told.

Small keyword-only functions; the caller owns the session and the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.choices import Brush, Size, Strength
from stylebot.models import Request, Status, User, utcnow
from stylebot.queue import queue_order


@dataclass(frozen=True)
class Pending:
    """A request whose user has not yet been told its outcome."""

    id: int
    chat_id: int
    status: Status
    progress: float
    strength: Strength
    status_message_id: int | None
    error: str | None
    output_width: int | None
    output_height: int | None
    engine_seconds: float | None
    note: str | None
    keep_colors: bool
    language: str | None
    telegram_language: str | None
    style_name: str | None
    style_file_id: str
    compare: bool
    finished_at: datetime | None
    brush: Brush = Brush.MEDIUM
    # For the time left (stylebot.estimates): the job's size, work and device, and its start.
    size: Size = Size.STANDARD
    work: float | None = None
    device: str | None = None
    started_at: datetime | None = None


def _pending() -> Select[*tuple[Any, ...]]:
    return select(
        Request.keep_colors,
        User.language,
        User.language_code.label("telegram_language"),
        Request.id,
        Request.chat_id,
        Request.status,
        Request.progress,
        Request.strength,
        Request.status_message_id,
        Request.error,
        Request.output_width,
        Request.output_height,
        Request.engine_seconds,
        Request.note,
        Request.style_name,
        Request.style_file_id,
        Request.compare,
        Request.finished_at,
        Request.brush,
        Request.size,
        Request.work,
        Request.device,
        Request.started_at,
    ).join(User, User.id == Request.user_id)


async def finished_undelivered(*, session: AsyncSession, limit: int) -> list[Pending]:
    """Up to `limit` done or failed requests whose user has not been told yet, oldest first.

    Asked as "finished, not delivered", the condition of ix_requests_finished_undelivered, which
    holds only those rows. Asked by status, both databases took an index on the status instead
    and walked the whole history: PostgreSQL guessed "done and not delivered" from the share of
    each alone, SQLite has no statistics.
    """
    rows = await session.execute(
        _pending()
        .where(
            Request.finished_at.is_not(None),
            Request.delivered_at.is_(None),
            Request.status != Status.CANCELLED,  # cancelled is delivered too: a safeguard
        )
        .order_by(Request.id)
        .limit(limit)
    )
    return [Pending(**row._mapping) for row in rows]


async def running_undelivered(*, session: AsyncSession) -> list[Pending]:
    """The running requests (as many as the workers run at once), oldest first."""
    rows = await session.execute(
        _pending()
        .where(Request.status == Status.RUNNING, Request.delivered_at.is_(None))
        .order_by(Request.id)
    )
    return [Pending(**row._mapping) for row in rows]


async def queue_window(*, session: AsyncSession, start: int, limit: int) -> list[tuple[int, Pending]]:
    """The queued requests at places start .. start+limit-1 (1 = next to be claimed) that have a status
    message, each with its place. One walk along the claim order's index, `start` entries long."""
    ids = list(await session.scalars(queue_order().offset(start - 1).limit(limit)))
    if not ids:
        return []
    rows = await session.execute(
        _pending().where(Request.id.in_(ids), Request.status_message_id.is_not(None))
    )
    found = {row.id: Pending(**row._mapping) for row in rows}
    return [(start + index, found[request_id]) for index, request_id in enumerate(ids) if request_id in found]


async def result_image(*, session: AsyncSession, request_id: int) -> bytes | None:
    return await session.scalar(select(Request.result_image).where(Request.id == request_id))


async def status_message(*, session: AsyncSession, request_id: int) -> int | None:
    """The status message's id now (a status that showed the painting so far became a new message)."""
    return await session.scalar(select(Request.status_message_id).where(Request.id == request_id))


async def set_status_message(*, session: AsyncSession, request_id: int, message_id: int) -> None:
    await session.execute(
        update(Request).where(Request.id == request_id).values(status_message_id=message_id)
    )


async def mark_delivered(
    *, session: AsyncSession, request_id: int, result_message_id: int | None, error: str | None = None
) -> None:
    """The user has been told the outcome (`result_message_id`: the message that told them)."""
    values: dict[str, object] = {"delivered_at": utcnow(), "result_message_id": result_message_id}
    if error is not None:
        values["error"] = error
    await session.execute(update(Request).where(Request.id == request_id).values(**values))
