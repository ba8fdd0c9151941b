"""Who the user is and how they want to be answered: the user's row, and their preferences.

Profiles keeps each user's preferences in memory, so that answering an update costs no database
read. Every write of a user's row goes through it (record, change, erase), so what it holds is never
older than what this process wrote. Handlers read it through their context (BotContext.profile).
"""

from __future__ import annotations

import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import User as TelegramUser

from stylebot import privacy, users
from stylebot.users import Profile

SEEN_SECONDS = 60.0  # users.last_seen is this precise: a user is written at most once a minute


class Profiles:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._known: dict[int, Profile] = {}
        self._recorded_at: dict[int, float] = {}  # user id -> time.monotonic()

    def of(self, user: TelegramUser | None) -> Profile:
        """The preferences of `user` as last recorded; Telegram's language only, before that."""
        if user is None:
            return Profile()
        return self._known.get(user.id) or Profile(telegram_language=user.language_code)

    async def record(self, user: TelegramUser) -> Profile:
        """Writes the user's name and language (at most once a minute, or when the language changed)."""
        known = self._known.get(user.id)
        if (
            known is not None
            and known.telegram_language == user.language_code
            and time.monotonic() - self._recorded_at[user.id] < SEEN_SECONDS
        ):
            return known
        async with self._sessions.begin() as session:
            row = await users.upsert_user(
                session=session,
                user_id=user.id,
                name=user.full_name,
                username=user.username,
                language_code=user.language_code,
            )
            profile = Profile.of(row)
        self._known[user.id], self._recorded_at[user.id] = profile, time.monotonic()
        return profile

    async def change(self, user_id: int, **preferences: object) -> Profile:
        """Stores new preferences (stylebot.users.PREFERENCES) and returns the profile."""
        async with self._sessions.begin() as session:
            profile = await users.set_preferences(session=session, user_id=user_id, **preferences)
        self._known[user_id] = profile
        return profile

    async def erase(self, user_id: int) -> int:
        """Deletes everything held about the user (/forget); returns how many requests went."""
        async with self._sessions.begin() as session:
            deleted = await privacy.forget_user(session=session, user_id=user_id)
        self._known.pop(user_id, None)
        self._recorded_at.pop(user_id, None)
        return deleted
