"""What the bot keeps, and for how long: pictures expire after RETENTION_DAYS; /forget deletes a
user entirely."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.models import ACTIVE, Draft, Preview, Request, Upload, User, Variant
from stylebot.submissions import cancel_active
from stylebot.uploads import delete_uploads_before


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
    # A preview outlives its job only when the job's last worker died with it.
    await session.execute(delete(Preview).where(Preview.request_id.in_(over)))
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
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]
