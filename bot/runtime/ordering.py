"""How updates are handled: different users' at the same time, each user's one at a time, and each
marked done in the inbox once handled (bot.runtime.receiving writes them there first).

python-telegram-bot handles updates one after another by default, so one user's slow download would
keep everyone waiting; fully concurrent handling would break a conversation (the two pictures of an
album could be taken in either order). So each user gets a lock, taken in arrival order.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.handling import HANDLING, Handling
from stylebot import inbox

log = logging.getLogger(__name__)

MAX_CONCURRENT_UPDATES = 256


class UpdateProcessor(BaseUpdateProcessor):
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], max_concurrent_updates: int = MAX_CONCURRENT_UPDATES
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._sessions = sessions
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, deque[Update]] = {}  # user id -> updates holding or waiting for the lock
        self._replays: set[int] = set()  # update ids read back from the inbox at start-up
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def replaying(self, update_ids: set[int]) -> None:
        """These updates were handled before, perhaps partly: what they sent is not sent again."""
        self._replays |= update_ids

    def waiting(self, user_id: int) -> list[Update]:
        """The user's updates that arrived and wait their turn (an album's later pictures)."""
        return list(self._waiting.get(user_id, ()))[1:]

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def wait_idle(self) -> None:
        """Returns once no update is being handled or waiting."""
        await self._idle.wait()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        self._in_flight += 1
        self._idle.clear()
        try:
            if not isinstance(update, Update):
                await coroutine
                return
            user = update.effective_user
            if user is None:
                await self._handle(update, coroutine)
                return
            lock = self._locks.setdefault(user.id, asyncio.Lock())
            line = self._waiting.setdefault(user.id, deque())
            line.append(update)
            try:
                async with lock:
                    await self._handle(update, coroutine, later=lambda: self.waiting(user.id))
            finally:
                line.remove(update)
                if not line:  # nobody else queued: forget the lock
                    del self._waiting[user.id], self._locks[user.id]
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    async def _handle(
        self, update: Update, coroutine: Awaitable[Any], later: Callable[[], list[Update]] = list
    ) -> None:
        replaying = update.update_id in self._replays
        self._replays.discard(update.update_id)
        token = HANDLING.set(Handling(update.update_id, replaying, later))
        try:
            await coroutine
        finally:
            HANDLING.reset(token)
        try:
            async with self._sessions.begin() as session:
                await inbox.mark_done(session=session, update_id=update.update_id)
        except (
            SQLAlchemyError
        ):  # handled all the same: at the next start it is replayed, sending nothing twice
            log.warning("update %d: could not mark it done", update.update_id)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
