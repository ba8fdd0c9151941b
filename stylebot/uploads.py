"""Pictures of a conversation that is still going on, and the styles a user may pick again.

The bot keeps only upload ids in its (persisted) user data; the bytes stay here until the
request is made, so a restart of the bot loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.models import Request, Upload, utcnow
from stylebot.store import create_request


async def add_upload(
    *, session: AsyncSession, user_id: int, file_id: str, data: bytes, name: str | None = None
) -> int:
    upload = Upload(user_id=user_id, file_id=file_id, data=data, name=name, created_at=utcnow())
    session.add(upload)
    await session.flush()
    return upload.id


async def upload_from_request(
    *, session: AsyncSession, request_id: int, user_id: int, part: Literal["content", "style"]
) -> int | str:
    """An upload holding one picture of the user's request; or why not, as a text key."""
    request = await session.get(Request, request_id)
    if request is None or request.user_id != user_id:
        return "not_yours"
    data = request.content_image if part == "content" else request.style_image
    if data is None:
        return "pictures_gone"
    file_id = request.content_file_id if part == "content" else request.style_file_id
    name = request.style_name if part == "style" else None
    return await add_upload(session=session, user_id=user_id, file_id=file_id, data=data, name=name)


async def request_from_uploads(
    *,
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    content_id: int,
    style_id: int,
    strength: str,
    keep_colors: bool,
    size: str,
    status_message_id: int | None,
) -> Request | None:
    """Turns the user's two uploads into a queued request (and drops them); None if one is gone."""
    content = await session.get(Upload, content_id)
    style = await session.get(Upload, style_id)
    if content is None or style is None or content.user_id != user_id or style.user_id != user_id:
        return None
    request = await create_request(
        session=session,
        user_id=user_id,
        chat_id=chat_id,
        content_file_id=content.file_id,
        content_image=content.data,
        style_file_id=style.file_id,
        style_image=style.data,
        style_name=style.name,
        strength=strength,
        keep_colors=keep_colors,
        size=size,
        status_message_id=status_message_id,
    )
    await session.execute(delete(Upload).where(Upload.id.in_({content_id, style_id})))
    return request


async def drop_uploads(*, session: AsyncSession, user_id: int, keep: set[int] | None = None) -> None:
    """Deletes the user's uploads, but `keep`: the pictures of a conversation that was left."""
    await session.execute(delete(Upload).where(Upload.user_id == user_id, Upload.id.not_in(keep or set())))


async def delete_uploads_before(*, session: AsyncSession, before: datetime) -> int:
    """Drops pictures of conversations abandoned before `before`; returns how many."""
    result = await session.execute(delete(Upload).where(Upload.created_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RecentStyle:
    request_id: int
    name: str | None  # a gallery style's name


async def recent_styles(*, session: AsyncSession, user_id: int, limit: int = 5) -> list[RecentStyle]:
    """The user's last `limit` different styles that are still stored, newest first."""
    rows = await session.execute(
        select(Request.id, Request.style_file_id, Request.style_name)
        .where(Request.user_id == user_id, Request.style_image.is_not(None))
        .order_by(Request.id.desc())
        .limit(50)
    )
    found: dict[str, RecentStyle] = {}
    for request_id, file_id, name in rows:
        if file_id not in found:
            found[file_id] = RecentStyle(request_id, name)
        if len(found) == limit:
            break
    return list(found.values())
