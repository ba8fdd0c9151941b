"""What every handler needs, made once at start-up and kept in bot_data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, ContextTypes

from stylebot.settings import Settings
from stylebot.store import Profile

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # The preferences of users seen by this process, refreshed on each of their updates.
    profiles: dict[int, Profile] = field(default_factory=dict)


def services(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:
    found: Any = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
