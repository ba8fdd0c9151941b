"""What every handler needs, made once at start-up and kept in bot_data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, ContextTypes

from stylebot.settings import Settings

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


def services(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:
    found: Any = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
