"""What every handler needs, made once at start-up (bot.app) and reached through the handler's
context (bot.context.BotContext.services)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application

from bot.access.profiles import Profiles
from bot.drafts import Drafts
from bot.metrics import BotMetrics
from stylebot.settings import Settings

_KEY = "services"  # in the Application's bot_data


@dataclass
class Services:
    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    profiles: Profiles
    drafts: Drafts
    metrics: BotMetrics
    # Request id -> the status text on screen: the submission writes the first, the notifier the rest,
    # so the notifier does not "edit" a status into what it already says.
    statuses_shown: dict[int, str] = field(default_factory=dict)

    async def erase_user(self, user_id: int) -> int:
        """Deletes everything held about the user (/forget), cached copies included; returns how
        many requests went."""
        deleted = await self.profiles.erase(user_id)
        self.drafts.forget(user_id)
        return deleted

    def install(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        app.bot_data[_KEY] = self

    @staticmethod
    def of(app: Application[Any, Any, Any, Any, Any, Any]) -> Services:
        """The services installed in `app`."""
        found = app.bot_data[_KEY]
        assert isinstance(found, Services)
        return found
