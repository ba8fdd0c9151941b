"""What the bot keeps, and for how long: pictures expire after RETENTION_DAYS; /forget deletes a
user entirely."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot import inbox
from stylebot.models import ACTIVE, Draft, Picture, Preview, Request, Upload, User, Variant
from stylebot.submissions import cancel_active
from stylebot.uploads import delete_uploads_before

# Handled updates are kept (their id only: bot.runtime.receiving recognises one Telegram delivers
# again) as long as Telegram may deliver one again: it keeps an update for at most a day.
HANDLED_UPDATES_KEPT = timedelta(days=1)

CHUNK = 500  # hashes per DELETE: well under any database's limit of bound parameters


async def _hashes(session: AsyncSession, *where: ColumnElement[bool]) -> set[str]:
    """The hashes of the pictures the requests matching `where` refer to."""
    rows = await session.execute(select(Request.content_hash, Request.style_hash).where(*where))
    return {digest for row in rows for digest in row if digest is not None}


async def delete_unused_pictures(*, session: AsyncSession, hashes: Collection[str]) -> None:
    """Deletes the pictures among `hashes` that no request refers to any more (another user may
    have sent the same picture, a gallery style is everyone's)."""
    ordered = sorted(hashes)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        # Locked first (PostgreSQL): a request being queued with one of them has touched it and
        # holds it until it commits; the DELETE, a statement after, then sees that request.
        await session.execute(select(Picture.hash).where(Picture.hash.in_(chunk)).with_for_update())
        await session.execute(
            delete(Picture).where(
                Picture.hash.in_(chunk),
                ~exists().where(Request.content_hash == Picture.hash),
                ~exists().where(Request.style_hash == Picture.hash),
            )
        )


async def purge_pictures(*, session: AsyncSession, before: datetime) -> int:
    """Drops the pictures (sent and made) of requests made before `before` that are over, and
    uploads of conversations abandoned before then. The requests' other columns stay, for
    /history and /stats. Returns how many requests lost their pictures."""
    holding = (
        Request.created_at < before,
        Request.status.not_in(ACTIVE),
        or_(
            Request.content_hash.is_not(None),
            Request.style_hash.is_not(None),
            Request.result_image.is_not(None),
        ),
    )
    hashes = await _hashes(session, *holding)
    result = await session.execute(
        update(Request).where(*holding).values(content_hash=None, style_hash=None, result_image=None)
    )
    await delete_unused_pictures(session=session, hashes=hashes)
    over = select(Request.id).where(Request.created_at < before, Request.status.not_in(ACTIVE))
    await session.execute(
        update(Variant).where(Variant.request_id.in_(over), Variant.image.is_not(None)).values(image=None)
    )
    # A preview outlives its job only when the job's last worker died with it.
    await session.execute(delete(Preview).where(Preview.request_id.in_(over)))
    await delete_uploads_before(session=session, before=before)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def forget_user(*, session: AsyncSession, user_id: int) -> int:
    """Deletes everything held about the user: requests (a running job stops at its next
    heartbeat), pictures, uploads, preferences, conversation data. Returns the requests deleted."""
    # Cancelled first, so a worker that is painting one stops instead of writing a result.
    await cancel_active(session=session, user_id=user_id)
    hashes = await _hashes(session, Request.user_id == user_id)
    deleted = await session.execute(delete(Request).where(Request.user_id == user_id))
    await delete_unused_pictures(session=session, hashes=hashes)
    await session.execute(delete(Upload).where(Upload.user_id == user_id))
    await session.execute(delete(Draft).where(Draft.user_id == user_id))
    await session.execute(delete(User).where(User.id == user_id))
    await inbox.forget_user_updates(session=session, user_id=user_id)
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]


async def purge_handled_updates(*, session: AsyncSession, now: datetime) -> int:
    """Drops the ids of updates handled more than HANDLED_UPDATES_KEPT ago; returns how many."""
    return await inbox.purge_done(session=session, before=now - HANDLED_UPDATES_KEPT)


async def painting_statuses(*, session: AsyncSession, user_id: int) -> list[tuple[int, int]]:
    """(chat id, message id) of the status messages of the user's requests still waiting or being
    painted: /forget says in them that the painting was deleted (else a Cancel button stays)."""
    rows = await session.execute(
        select(Request.chat_id, Request.status_message_id).where(
            Request.user_id == user_id, Request.status.in_(ACTIVE), Request.status_message_id.is_not(None)
        )
    )
    return [(int(chat), int(message)) for chat, message in rows if message is not None]
