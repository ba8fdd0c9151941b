"""Pictures the bot sends again and again (the gallery's preview): uploaded once, then sent by the
file_id Telegram gave them."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.models import TelegramFile, utcnow


async def file_id_for(*, session: AsyncSession, key: str) -> str | None:
    return await session.scalar(select(TelegramFile.file_id).where(TelegramFile.key == key))


async def remember_file_id(*, session: AsyncSession, key: str, file_id: str) -> None:
    await session.execute(delete(TelegramFile).where(TelegramFile.key == key))
    session.add(TelegramFile(key=key, file_id=file_id, created_at=utcnow()))
