"""Pictures of a conversation that is still going on, and the styles a user may pick again.

The bot keeps only upload ids in its (persisted) user data; the bytes stay here until the
request is made, so a restart of the bot loses nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.models import Request, Upload, utcnow
from stylebot.submissions import WITH_PICTURES, owned_request, pictures_of_request


async def add_upload(
    *, session: AsyncSession, user_id: int, file_id: str, data: bytes, name: str | None = None
) -> int:
    upload = Upload(user_id=user_id, file_id=file_id, data=data, name=name, created_at=utcnow())
    session.add(upload)
    await session.flush()
    return upload.id


async def upload_from_request(
    *, session: AsyncSession, request_id: int, user_id: int, part: Literal["content", "style"]
) -> int:
    """An upload holding one picture of the user's request (New style, New photo, a recent style);
    raises Refused when the request is not the user's or its pictures are gone."""
    pictures = pictures_of_request(
        await owned_request(session=session, request_id=request_id, user_id=user_id, load=WITH_PICTURES)
    )
    if part == "content":
        return await add_upload(
            session=session, user_id=user_id, file_id=pictures.content_file_id, data=pictures.content
        )
    return await add_upload(
        session=session,
        user_id=user_id,
        file_id=pictures.style_file_id,
        data=pictures.style,
        name=pictures.style_name,
    )


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
    picture: bytes


async def recent_styles(
    *, session: AsyncSession, user_id: int, limit: int = 3, skip_names: Collection[str] = ()
) -> list[RecentStyle]:
    """The user's last `limit` different style pictures that are still stored, newest first: the same
    picture sent twice is offered once. Gallery styles named in `skip_names` are offered there."""
    rows = await session.execute(
        select(Request.id, Request.style_hash, Request.style_file_id, Request.style_name)
        .where(Request.user_id == user_id, Request.style_hash.is_not(None))
        .order_by(Request.id.desc())
        .limit(50)
    )
    picked: dict[str, tuple[int, str | None]] = {}
    for request_id, style_hash, file_id, name in rows:
        if name in skip_names:
            continue
        picked.setdefault(style_hash or file_id, (request_id, name))
        if len(picked) == limit:
            break
    ids = [request_id for request_id, _ in picked.values()]
    stored = await session.execute(select(Request.id, Request.style_image).where(Request.id.in_(ids)))
    pictures = {request_id: picture for request_id, picture in stored if picture is not None}
    return [
        RecentStyle(request_id, name, pictures[request_id])
        for request_id, name in picked.values()
        if request_id in pictures
    ]
