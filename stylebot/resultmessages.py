"""The messages that carry a painting, and the reactions users put on them.

A repeated tap on the same button points at the message that already holds its picture; /history and
inline mode send a painting again by its Telegram file_id; a reaction is counted for the request (and
the strength, for one picture of a comparison) whose message it was put on.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.choices import Strength
from stylebot.models import Reaction, Request, ResultMessage, Status, utcnow


class Kind(enum.StrEnum):
    PHOTO = "photo"  # a painting as a photo (one picture of a comparison: its strength is set)
    FILE = "file"  # the full-quality file


@dataclass(frozen=True)
class Carried:
    """A picture already in a chat: where it is, and Telegram's id of its file."""

    chat_id: int
    message_id: int
    file_id: str | None


async def remember(
    *,
    session: AsyncSession,
    chat_id: int,
    message_id: int,
    request_id: int,
    kind: Kind,
    strength: Strength | None = None,
    file_id: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> None:
    """Records that message `message_id` carries the picture of `request_id` (at `strength`)."""
    await session.merge(
        ResultMessage(
            chat_id=chat_id,
            message_id=message_id,
            request_id=request_id,
            kind=kind,
            strength=strength,
            file_id=file_id,
            width=width,
            height=height,
            created_at=utcnow(),
        )
    )


async def carried(
    *, session: AsyncSession, request_id: int, kind: Kind, strength: Strength | None, chat_id: int
) -> Carried | None:
    """The latest message in `chat_id` that carries that picture, or None."""
    condition = ResultMessage.strength.is_(None) if strength is None else ResultMessage.strength == strength
    row = (
        await session.execute(
            select(ResultMessage.chat_id, ResultMessage.message_id, ResultMessage.file_id)
            .where(
                ResultMessage.request_id == request_id,
                ResultMessage.kind == kind,
                ResultMessage.chat_id == chat_id,
                condition,
            )
            .order_by(ResultMessage.created_at.desc())
            .limit(1)
        )
    ).first()
    return Carried(row.chat_id, row.message_id, row.file_id) if row is not None else None


@dataclass(frozen=True)
class Shared:
    """A painting of the user's that can be sent again by its file_id (inline mode)."""

    request_id: int
    strength: Strength | None
    file_id: str
    request: Request


async def shareable(*, session: AsyncSession, user_id: int, limit: int) -> list[Shared]:
    """The user's delivered paintings (each picture of a comparison too), newest first."""
    rows = await session.execute(
        select(ResultMessage.request_id, ResultMessage.strength, ResultMessage.file_id, Request)
        .join(Request, Request.id == ResultMessage.request_id)
        .where(
            Request.user_id == user_id,
            Request.status == Status.DONE,
            Request.result_image.is_not(None),  # retention took it: not offered again
            ResultMessage.kind == Kind.PHOTO,
            ResultMessage.file_id.is_not(None),
        )
        .order_by(ResultMessage.created_at.desc(), ResultMessage.message_id.desc())
        .limit(limit * 2)
    )
    found: dict[tuple[int, Strength | None], Shared] = {}
    for request_id, strength, file_id, request in rows:
        if file_id is not None:
            found.setdefault((request_id, strength), Shared(request_id, strength, file_id, request))
    return list(found.values())[:limit]


async def react(
    *, session: AsyncSession, chat_id: int, message_id: int, user_id: int, emoji: str | None
) -> bool:
    """Records the user's reaction (`emoji`; None: taken back) on a result message; False when the
    message carries no painting."""
    row = (
        await session.execute(
            select(ResultMessage.request_id, ResultMessage.strength).where(
                ResultMessage.chat_id == chat_id, ResultMessage.message_id == message_id
            )
        )
    ).first()
    if row is None:
        return False
    await session.execute(
        delete(Reaction).where(
            Reaction.chat_id == chat_id, Reaction.message_id == message_id, Reaction.user_id == user_id
        )
    )
    if emoji is not None:
        session.add(
            Reaction(
                chat_id=chat_id,
                message_id=message_id,
                user_id=user_id,
                request_id=row.request_id,
                strength=row.strength,
                emoji=emoji,
                updated_at=utcnow(),
            )
        )
    return True
