"""What every handler needs, made once at start-up and kept in bot_data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, ContextTypes

from stylebot.settings import Settings

if TYPE_CHECKING:
    from bot.access.profiles import Profiles

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    profiles: Profiles


def services(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:
    found: Any = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
