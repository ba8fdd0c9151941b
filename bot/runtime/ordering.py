"""Updates of different users are handled at the same time; each user's own, one at a time.

python-telegram-bot handles updates one after another by default, so one user's slow download
would keep everyone waiting. Fully concurrent handling would break a conversation (the two
pictures of an album could be taken in either order), so each user gets a lock.

python-telegram-bot warns that ConversationHandler needs updates one by one: that holds per
conversation, and its conversations are per chat and user in the private chats the bot serves
(bot.users.private_chats_only), so one lock per user keeps each conversation's updates in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 256


class PerUserUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}  # user id -> updates holding or waiting for the lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            await coroutine
            return
        lock = self._locks.setdefault(user.id, asyncio.Lock())
        self._waiting[user.id] = self._waiting.get(user.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[user.id] -= 1
            if not self._waiting[user.id]:  # nobody else queued: forget the lock
                del self._waiting[user.id], self._locks[user.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
