"""Putting a request in the queue, whoever asks: the conversation (two pictures and a strength) or a
button under a result (the same pictures again, changed); and taking it out again (cancelling).
The one place that checks the owner, the per-user limits and that the pictures are still there.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer
from sqlalchemy.orm.interfaces import ORMOption

from stylebot import history, queue, resultmessages
from stylebot.choices import Brush, Size, Strength
from stylebot.models import ACTIVE, Request, Status, Upload, utcnow
from stylebot.outcomes import Refusal, Refused
from stylebot.settings import Settings

# Loads a request with its two pictures (deferred otherwise: most reads need none of their bytes).
WITH_PICTURES = (undefer(Request.content_image), undefer(Request.style_image))


@dataclass(frozen=True)
class Limits:
    max_queued: int  # MAX_QUEUED_PER_USER
    daily_quota: int  # DAILY_QUOTA, per UTC day; 0 = none

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(max_queued=settings.max_queued_per_user, daily_quota=settings.daily_quota)


@dataclass(frozen=True)
class Pictures:
    """The two pictures of a new request, and the uploads they came from (dropped once queued)."""

    content_file_id: str
    content: bytes
    style_file_id: str
    style: bytes
    style_name: str | None = None  # a gallery style's name
    uploads: tuple[int, ...] = ()


@dataclass(frozen=True)
class Order:
    """How the pictures are to be painted."""

    strength: Strength
    keep_colors: bool = False
    size: Size = Size.STANDARD
    compare: bool = False  # light, medium and strong side by side (strength: the middle one)
    brush: Brush = Brush.MEDIUM


class Change(enum.StrEnum):
    """What a button under a result changes when it runs the same pictures again."""

    WEAKER = "weaker"
    STRONGER = "stronger"
    COLORS = "colors"
    FINER = "finer"  # a finer brush
    COARSER = "coarser"  # bigger strokes
    BIGGER = "bigger"  # the Large size


def next_strength(strength: Strength, change: Change) -> Strength:
    """The strength a rerun with `change` paints at; raises Refused past either end of the ladder."""
    if change not in (Change.WEAKER, Change.STRONGER):
        return strength
    stepped = strength.step(-1 if change == Change.WEAKER else 1)
    if stepped is None:
        raise Refused(Refusal.ALREADY_LIGHTEST if change == Change.WEAKER else Refusal.ALREADY_STRONGEST)
    return stepped


def next_brush(brush: Brush, change: Change) -> Brush:
    """The brush a rerun with `change` paints with; raises Refused past either end."""
    if change not in (Change.FINER, Change.COARSER):
        return brush
    ladder = list(Brush)
    index = ladder.index(brush) + (-1 if change == Change.FINER else 1)
    if not 0 <= index < len(ladder):
        raise Refused(Refusal.ALREADY_FINEST if change == Change.FINER else Refusal.ALREADY_COARSEST)
    return ladder[index]


def changed_order(request: Request, change: Change, *, strength: Strength | None = None, size: Size) -> Order:
    """The order of `request` (or of its variant at `strength`), changed, at the user's current `size`
    (Bigger: Large); raises Refused at either end of a ladder."""
    if change == Change.BIGGER:
        if request.size == Size.LARGE:
            raise Refused(Refusal.ALREADY_LARGE)
        size = Size.LARGE
    keep_colors = not request.keep_colors if change == Change.COLORS else request.keep_colors
    return Order(
        next_strength(strength or request.strength, change),
        keep_colors=keep_colors,
        size=size,
        brush=next_brush(request.brush, change),
    )


async def owned_request(
    *, session: AsyncSession, request_id: int, user_id: int, load: Sequence[ORMOption] = ()
) -> Request:
    """The user's request `request_id` (with the deferred columns `load` asks for, e.g.
    WITH_PICTURES); raises Refused (DELETED, NOT_YOURS) otherwise."""
    request = await session.get(Request, request_id, options=load)
    if request is None:
        raise Refused(Refusal.DELETED)
    if request.user_id != user_id:
        raise Refused(Refusal.NOT_YOURS)
    return request


def pictures_of_request(request: Request) -> Pictures:
    """The pictures of an earlier request (loaded WITH_PICTURES); raises Refused(PICTURES_GONE) once
    retention took them."""
    assert not {"content_image", "style_image"} & inspect(request).unloaded, "load it WITH_PICTURES"
    if request.content_image is None or request.style_image is None:
        raise Refused(Refusal.PICTURES_GONE)
    return Pictures(
        content_file_id=request.content_file_id,
        content=request.content_image,
        style_file_id=request.style_file_id,
        style=request.style_image,
        style_name=request.style_name,
    )


async def pictures_of_uploads(
    *, session: AsyncSession, user_id: int, content_id: int, style_id: int
) -> Pictures:
    """The pictures of a conversation's draft; raises Refused(PICTURES_GONE) if one is gone."""
    content = await session.get(Upload, content_id, options=[undefer(Upload.data)])
    style = await session.get(Upload, style_id, options=[undefer(Upload.data)])
    if content is None or style is None or content.user_id != user_id or style.user_id != user_id:
        raise Refused(Refusal.PICTURES_GONE)
    return Pictures(
        content_file_id=content.file_id,
        content=content.data,
        style_file_id=style.file_id,
        style=style.data,
        style_name=style.name,
        uploads=(content_id, style_id),
    )


async def check_limits(*, session: AsyncSession, user_id: int, limits: Limits, now: datetime) -> None:
    """Raises Refused when the user has too many requests waiting, or made their day's quota."""
    if await history.count_queued(session=session, user_id=user_id) >= limits.max_queued:
        raise Refused(Refusal.QUEUE_FULL, limit=limits.max_queued)
    if limits.daily_quota:
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if await history.count_since(session=session, user_id=user_id, since=midnight) >= limits.daily_quota:
            resets_in = int((midnight + timedelta(days=1) - now).total_seconds())
            raise Refused(Refusal.QUOTA_REACHED, quota=limits.daily_quota, resets_in_seconds=resets_in)


async def _same_in_progress(session: AsyncSession, *, user_id: int, pictures: Pictures, order: Order) -> bool:
    found = await session.scalar(
        select(Request.id)
        .where(
            Request.user_id == user_id,
            Request.status.in_(ACTIVE),
            Request.content_file_id == pictures.content_file_id,
            Request.style_file_id == pictures.style_file_id,
            Request.strength == order.strength,
            Request.keep_colors == order.keep_colors,
            Request.size == order.size,
            Request.compare == order.compare,
            Request.brush == order.brush,
        )
        .limit(1)
    )
    return found is not None


async def same_result(
    *, session: AsyncSession, user_id: int, source: Request, order: Order
) -> tuple[int, int] | None:
    """(chat id, message id) of a painting the user already has of `source`'s pictures painted as
    `order` says (one of its own comparison's pictures, too): a repeated tap points at it instead
    of painting the same picture again."""
    same_making = (order.keep_colors, order.brush, order.size) == (
        source.keep_colors,
        source.brush,
        source.size,
    )
    if source.compare and same_making:
        shown = await resultmessages.carried(
            session=session,
            request_id=source.id,
            kind=resultmessages.Kind.PHOTO,
            strength=order.strength,
            chat_id=source.chat_id,
        )
        if shown is not None:
            return shown.chat_id, shown.message_id
    found = await session.execute(
        select(Request.chat_id, Request.result_message_id)
        .where(
            Request.user_id == user_id,
            Request.status == Status.DONE,
            Request.result_message_id.is_not(None),
            Request.content_file_id == source.content_file_id,
            Request.style_file_id == source.style_file_id,
            Request.strength == order.strength,
            Request.keep_colors == order.keep_colors,
            Request.size == order.size,
            Request.brush == order.brush,
            Request.compare.is_(False),
        )
        .order_by(Request.id.desc())
        .limit(1)
    )
    row = found.first()
    return (row.chat_id, row.result_message_id) if row is not None else None


async def queue_request(
    *,
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    pictures: Pictures,
    order: Order,
    limits: Limits,
    now: datetime,
    update_id: int | None = None,
) -> Request:
    """Queues a request for `pictures` painted as `order` says, within the user's limits.

    Asking twice gives one request: again for the same update (a replay after a crash), or while the
    same pictures are already waiting or being painted the same way (a double tap) — then raises
    Refused(ALREADY_QUEUED)."""
    if update_id is not None:
        made = await session.scalar(select(Request).where(Request.update_id == update_id))
        if made is not None:
            return made
    if await _same_in_progress(session, user_id=user_id, pictures=pictures, order=order):
        raise Refused(Refusal.ALREADY_QUEUED)
    await check_limits(session=session, user_id=user_id, limits=limits, now=now)
    request = await queue.enqueue(
        session=session,
        user_id=user_id,
        chat_id=chat_id,
        content_file_id=pictures.content_file_id,
        content_image=pictures.content,
        style_file_id=pictures.style_file_id,
        style_image=pictures.style,
        style_name=pictures.style_name,
        strength=order.strength,
        keep_colors=order.keep_colors,
        size=order.size,
        compare=order.compare,
        update_id=update_id,
        brush=order.brush,
    )
    if pictures.uploads:
        await session.execute(delete(Upload).where(Upload.id.in_(pictures.uploads)))
    return request


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
