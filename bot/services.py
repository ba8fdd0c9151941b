"""What every handler needs, made once at start-up and kept in bot_data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, ContextTypes

from stylebot.settings import Settings

if TYPE_CHECKING:
    from bot.access.profiles import Profiles
    from bot.drafts import Drafts

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    profiles: Profiles
    drafts: Drafts

    async def erase_user(self, user_id: int) -> int:
        """Deletes everything held about the user (/forget), cached copies included; returns how
        many requests went."""
        deleted = await self.profiles.erase(user_id)
        self.drafts.forget(user_id)
        return deleted


def services(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:
    found: Any = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
