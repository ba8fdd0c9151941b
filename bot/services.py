"""What every handler needs, made once at start-up and kept in bot_data."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, ContextTypes

from stylebot.settings import Settings
from stylebot.store import Profile

SERVICES_KEY = "services"
SEEN_SECONDS = 60.0  # users.last_seen is this precise


@dataclass
class Services:
    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # The preferences of users seen by this process, refreshed at most every SEEN_SECONDS.
    profiles: dict[int, Profile] = field(default_factory=dict)
    _seen: dict[int, float] = field(default_factory=dict)  # user id -> time.monotonic()

    def remember(self, user_id: int, profile: Profile) -> None:
        self.profiles[user_id] = profile
        self._seen[user_id] = time.monotonic()

    def forget(self, user_id: int) -> None:
        self.profiles.pop(user_id, None)
        self._seen.pop(user_id, None)

    def recently_seen(self, user_id: int, language_code: str | None) -> bool:
        """Recorded in the database less than SEEN_SECONDS ago, with the same language."""
        profile = self.profiles.get(user_id)
        return (
            profile is not None
            and profile.telegram_language == language_code
            and time.monotonic() - self._seen.get(user_id, 0.0) < SEEN_SECONDS
        )


def services(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:
    found: Any = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
