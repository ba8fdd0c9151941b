"""The bot's side of the database (asyncio): new requests, history, what to tell whom.

Small keyword-only functions; the caller owns the session and the transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from stylebot.choices import Size, Strength
from stylebot.jobs import handed_back, new_round, queue_order
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
    strength: Strength,
    status_message_id: int | None,
    keep_colors: bool = False,
    size: Size = Size.STANDARD,
    style_name: str | None = None,
    compare: bool = False,
    update_id: int | None = None,
) -> Request:
    """Queues a request at its fair place (its round, stylebot.jobs.new_round).

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
        style_hash=hashlib.sha256(style_image).hexdigest(),
        strength=strength,
        keep_colors=keep_colors,
        size=size,
        compare=compare,
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
    return request


async def queue_position(*, session: AsyncSession, request_id: int) -> int:
    """1 for the next job to start, in the order the workers claim (fair, not first come); 0 when
    the request is no longer queued."""
    return (await queue_positions(session=session, request_ids=[request_id])).get(request_id, 0)


async def queue_positions(*, session: AsyncSession, request_ids: Collection[int]) -> dict[int, int]:
    """The places (1 = next) of those of `request_ids` that are queued, in the workers' claim order.

    Each is a count along ix_requests_queue up to the request, never beyond it: next to nothing
    near the head of the queue, proportional to the place further back.
    """
    if not request_ids:
        return {}
    target = aliased(Request)

    def count(*where: ColumnElement[bool]) -> ScalarSelect[int]:
        query = select(func.count()).select_from(Request).where(Request.status == Status.QUEUED, *where)
        return query.scalar_subquery()

    # Two ranges of the index, each ending where it should. One row comparison, (round, id) <
    # (r, i), would not: PostgreSQL ends that scan only when the round changes.
    ahead = count(Request.queue_round < target.queue_round) + count(
        Request.queue_round == target.queue_round, Request.id < target.id
    )
    rows = await session.execute(
        select(target.id, ahead).where(target.id.in_(request_ids), target.status == Status.QUEUED)
    )
    return {request_id: before + 1 for request_id, before in rows}


async def queue_head(*, session: AsyncSession, limit: int) -> list[int]:
    """The next `limit` queued request ids, in the order the workers will take them."""
    return list(await session.scalars(queue_order().limit(limit)))


async def queue_depth(*, session: AsyncSession) -> int:
    """How many requests are queued (a count along an index, proportional to the depth)."""
    count = await session.scalar(
        select(func.count()).select_from(Request).where(Request.status == Status.QUEUED)
    )
    return int(count or 0)


async def set_status_message(*, session: AsyncSession, request_id: int, message_id: int) -> None:
    await session.execute(
        update(Request).where(Request.id == request_id).values(status_message_id=message_id)
    )


async def release_jobs_of_workers(*, session: AsyncSession, prefix: str) -> int:
    """Puts back in the queue the running jobs of the workers whose names begin with `prefix`
    (gone with the bot that started them), without spending an attempt; returns how many."""
    result = await session.execute(
        update(Request)
        .where(Request.status == Status.RUNNING, Request.worker.startswith(prefix, autoescape=True))
        .values(handed_back())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


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
    style_name: str | None
    style_file_id: str
    compare: bool
    output_width: int | None
    output_height: int | None


async def recent_requests(*, session: AsyncSession, user_id: int, limit: int = 10) -> list[HistoryEntry]:
    rows = await session.execute(
        select(
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
    style_name: str | None
    style_file_id: str
    compare: bool
    finished_at: datetime | None


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
    ).join(User, User.id == Request.user_id)


async def finished_undelivered(*, session: AsyncSession, limit: int) -> list[Pending]:
    """Up to `limit` done or failed requests whose user has not been told yet, oldest first.

    Asked as "finished, not delivered", the condition of ix_requests_finished_undelivered, which
    holds only those rows. Asked by status, both databases took an index on the status instead
    and walked the whole history: PostgreSQL guessed "done and not delivered" from the share of
    each alone (a quarter of 400,000 rows, where there were 20), SQLite has no statistics.
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


async def mark_delivered(
    *, session: AsyncSession, request_id: int, result_message_id: int | None, error: str | None = None
) -> None:
    values: dict[str, object] = {"delivered_at": utcnow(), "result_message_id": result_message_id}
    if error is not None:
        values["error"] = error
    await session.execute(update(Request).where(Request.id == request_id).values(**values))
