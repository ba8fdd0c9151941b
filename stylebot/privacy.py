"""What the bot keeps, and for how long: pictures expire after RETENTION_DAYS; /forget deletes a
user entirely."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot import inbox
from stylebot.models import ACTIVE, Draft, Request, Upload, User, Variant
from stylebot.submissions import cancel_active
from stylebot.uploads import delete_uploads_before

# Handled updates are kept (their id only: bot.runtime.receiving recognises one Telegram delivers
# again) as long as Telegram may deliver one again: it keeps an update for at most a day.
HANDLED_UPDATES_KEPT = timedelta(days=1)


async def purge_pictures(*, session: AsyncSession, before: datetime) -> int:
    """Drops the pictures (sent and made) of requests made before `before` that are over, and
    uploads of conversations abandoned before then. The requests' other columns stay, for
    /history and /stats. Returns how many requests lost their pictures."""
    result = await session.execute(
        update(Request)
        .where(
            Request.created_at < before,
            Request.status.not_in(ACTIVE),
            or_(
                Request.content_image.is_not(None),
                Request.style_image.is_not(None),
                Request.result_image.is_not(None),
            ),
        )
        .values(content_image=None, style_image=None, result_image=None)
    )
    over = select(Request.id).where(Request.created_at < before, Request.status.not_in(ACTIVE))
    await session.execute(
        update(Variant).where(Variant.request_id.in_(over), Variant.image.is_not(None)).values(image=None)
    )
    await delete_uploads_before(session=session, before=before)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def forget_user(*, session: AsyncSession, user_id: int) -> int:
    """Deletes everything held about the user: requests (a running job stops at its next
    heartbeat), pictures, uploads, preferences, conversation data. Returns the requests deleted."""
    # Cancelled first, so a worker that is painting one stops instead of writing a result.
    await cancel_active(session=session, user_id=user_id)
    deleted = await session.execute(delete(Request).where(Request.user_id == user_id))
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
