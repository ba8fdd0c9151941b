"""The bot's side of the database (asyncio): new requests, history, what to tell whom.

Small keyword-only functions; the caller owns the session and the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.jobs import queue_order
from stylebot.models import ACTIVE, Request, Status, User, utcnow


async def create_request(
    *,
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    content_file_id: str,
    content_image: bytes,
    style_file_id: str,
    style_image: bytes,
    strength: str,
    status_message_id: int | None,
    keep_colors: bool = False,
    size: str = "standard",
    style_name: str | None = None,
) -> Request:
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
        status=Status.QUEUED,
        progress=0.0,
        attempts=0,
        created_at=utcnow(),
        status_message_id=status_message_id,
    )
    session.add(request)
    await session.flush()
    return request


async def queue_position(*, session: AsyncSession, request_id: int) -> int:
    """1 for the next job to start, in the order the workers claim (fair, not first come)."""
    queue = await queued_ids(session=session)
    return queue.index(request_id) + 1 if request_id in queue else 0


async def set_status_message(*, session: AsyncSession, request_id: int, message_id: int) -> None:
    await session.execute(
        update(Request).where(Request.id == request_id).values(status_message_id=message_id)
    )


async def count_since(*, session: AsyncSession, user_id: int, since: datetime) -> int:
    """Requests the user made since `since` that count against the daily quota (not our failures)."""
    count = await session.scalar(
        select(func.count())
        .select_from(Request)
        .where(Request.user_id == user_id, Request.created_at >= since, Request.status != Status.FAILED)
    )
    return int(count or 0)


async def count_queued(*, session: AsyncSession, user_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Request)
        .where(Request.user_id == user_id, Request.status == Status.QUEUED)
    )
    return int(count or 0)


async def cancel_request(*, session: AsyncSession, request_id: int, user_id: int) -> Request | None:
    """Cancels one request if it belongs to `user_id` and is still queued or running."""
    now = utcnow()
    result = await session.execute(
        update(Request)
        .where(Request.id == request_id, Request.user_id == user_id, Request.status.in_(ACTIVE))
        .values(status=Status.CANCELLED, finished_at=now, delivered_at=now)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return await session.get(Request, request_id)


async def cancel_active(*, session: AsyncSession, user_id: int) -> list[Request]:
    """Cancels the user's queued and running requests; a running job stops at its next step."""
    active = list(
        await session.scalars(
            select(Request).where(Request.user_id == user_id, Request.status.in_(ACTIVE)).order_by(Request.id)
        )
    )
    now = utcnow()
    cancelled = []
    for request in active:
        # Conditional, so a job that finishes meanwhile is not marked cancelled after the fact.
        result = await session.execute(
            update(Request)
            .where(Request.id == request.id, Request.status.in_(ACTIVE))
            .values(status=Status.CANCELLED, finished_at=now, delivered_at=now)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            cancelled.append(request)
    return cancelled


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    created_at: datetime
    strength: str
    status: str
    seconds: float | None


async def recent_requests(*, session: AsyncSession, user_id: int, limit: int = 10) -> list[HistoryEntry]:
    rows = await session.execute(
        select(
            Request.id,
            Request.created_at,
            Request.strength,
            Request.status,
            Request.engine_seconds.label("seconds"),
        )
        .where(Request.user_id == user_id)
        .order_by(Request.created_at.desc(), Request.id.desc())
        .limit(limit)
    )
    return [HistoryEntry(**row._mapping) for row in rows]


@dataclass(frozen=True)
class Pending:
    """A request whose user has not yet been told its outcome."""

    id: int
    chat_id: int
    status: str
    progress: float
    strength: str
    status_message_id: int | None
    error: str | None
    output_width: int | None
    output_height: int | None
    engine_seconds: float | None
    note: str | None
    keep_colors: bool
    language: str | None
    telegram_language: str | None


async def pending_requests(*, session: AsyncSession) -> list[Pending]:
    rows = await session.execute(
        select(
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
        )
        .join(User, User.id == Request.user_id)
        .where(Request.delivered_at.is_(None), Request.status != Status.CANCELLED)
        .order_by(Request.created_at, Request.id)
    )
    return [Pending(**row._mapping) for row in rows]


async def queued_ids(*, session: AsyncSession) -> list[int]:
    """Queued request ids in the order the workers will take them."""
    return list(await session.scalars(queue_order()))


async def result_image(*, session: AsyncSession, request_id: int) -> bytes | None:
    return await session.scalar(select(Request.result_image).where(Request.id == request_id))


async def mark_delivered(
    *, session: AsyncSession, request_id: int, result_message_id: int | None, error: str | None = None
) -> None:
    values: dict[str, object] = {"delivered_at": utcnow(), "result_message_id": result_message_id}
    if error is not None:
        values["error"] = error
    await session.execute(update(Request).where(Request.id == request_id).values(**values))
