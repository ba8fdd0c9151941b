"""The bot's side of the database (asyncio): users, new requests, history, what to tell whom.

Small keyword-only functions; the caller owns the session and the transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from stylebot.jobs import CLAIM_ORDER, new_round, queue_order
from stylebot.models import ACTIVE, Request, Status, User, utcnow


@dataclass(frozen=True)
class Profile:
    """A user's preferences, as the handlers need them."""

    language: str | None = None  # chosen with /language
    telegram_language: str | None = None  # Telegram's language_code
    default_strength: str | None = None  # None: ask with buttons
    output_size: str = "standard"
    keep_colors: bool = False

    @classmethod
    def of(cls, user: User) -> Profile:
        return cls(
            language=user.language,
            telegram_language=user.language_code,
            default_strength=user.default_strength,
            output_size=user.output_size,
            keep_colors=user.keep_colors,
        )


async def upsert_user(
    *, session: AsyncSession, user_id: int, name: str, username: str | None, language_code: str | None
) -> User:
    user = await session.get(User, user_id)
    now = utcnow()
    if user is None:
        user = User(
            id=user_id,
            name=name,
            username=username,
            language_code=language_code,
            first_seen=now,
            output_size="standard",
            keep_colors=False,
        )
        session.add(user)
    user.name, user.username, user.language_code, user.last_seen = name, username, language_code, now
    return user


async def set_preferences(*, session: AsyncSession, user_id: int, **values: object) -> Profile:
    """Changes some of language, default_strength, output_size, keep_colors; returns the result."""
    allowed = {"language", "default_strength", "output_size", "keep_colors"}
    if not values.keys() <= allowed:
        raise ValueError(f"not a preference: {sorted(values.keys() - allowed)}")
    await session.execute(update(User).where(User.id == user_id).values(**values))
    user = await session.get(User, user_id, populate_existing=True)
    assert user is not None, "preferences of a user who was never recorded"
    return Profile.of(user)


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
        strength=strength,
        keep_colors=keep_colors,
        size=size,
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


async def rerun(
    *,
    session: AsyncSession,
    request_id: int,
    user_id: int,
    chat_id: int,
    strength: str | None = None,
    keep_colors: bool | None = None,
) -> Request | str:
    """A new request with the pictures of `request_id`, changed as asked; or why not ("not_yours",
    "pictures_gone"), as a text key."""
    source = await session.get(Request, request_id)
    if source is None or source.user_id != user_id:
        return "not_yours"
    if source.content_image is None or source.style_image is None:
        return "pictures_gone"
    return await create_request(
        session=session,
        user_id=user_id,
        chat_id=chat_id,
        content_file_id=source.content_file_id,
        content_image=source.content_image,
        style_file_id=source.style_file_id,
        style_image=source.style_image,
        style_name=source.style_name,
        strength=strength or source.strength,
        keep_colors=source.keep_colors if keep_colors is None else keep_colors,
        size=source.size,
        status_message_id=None,
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


async def queued_with_message(*, session: AsyncSession, limit: int) -> list[Pending]:
    """The first `limit` queued requests, in claim order, that have a status message to update."""
    rows = await session.execute(
        _pending()
        .where(Request.status == Status.QUEUED, Request.status_message_id.is_not(None))
        .order_by(*CLAIM_ORDER)
        .limit(limit)
    )
    return [Pending(**row._mapping) for row in rows]


async def result_image(*, session: AsyncSession, request_id: int) -> bytes | None:
    return await session.scalar(select(Request.result_image).where(Request.id == request_id))


async def mark_delivered(
    *, session: AsyncSession, request_id: int, result_message_id: int | None, error: str | None = None
) -> None:
    values: dict[str, object] = {"delivered_at": utcnow(), "result_message_id": result_message_id}
    if error is not None:
        values["error"] = error
    await session.execute(update(Request).where(Request.id == request_id).values(**values))
