"""Where a user's picture in the making is kept between updates (bot.drafts says what it means).

Saving a draft also marks the update that changed it as handled, in the same transaction: after a
crash, an update is either replayed from the draft before it, or not replayed at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot import inbox
from stylebot.models import Draft, utcnow


async def load_draft(*, session: AsyncSession, user_id: int) -> dict[str, Any] | None:
    row = await session.get(Draft, user_id)
    return dict(row.data) if row is not None else None


async def save_draft(
    *, session: AsyncSession, user_id: int, data: dict[str, Any] | None, update_id: int | None
) -> None:
    """Stores the draft (None: the user has none) and marks `update_id` handled."""
    row = await session.get(Draft, user_id)
    if data is None:
        if row is not None:
            await session.execute(delete(Draft).where(Draft.user_id == user_id))
    elif row is None:
        session.add(Draft(user_id=user_id, data=data, updated_at=utcnow()))
    else:
        row.data, row.updated_at = data, utcnow()
    if update_id is not None:
        await inbox.mark_done(session=session, update_id=update_id)
