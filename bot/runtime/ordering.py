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
# An update Telegram kept failing (bot.runtime.transient gave up on a call) is handled again, this
# many times in all, after these pauses; the user's later updates wait their turn meanwhile. Past
# that it stays in the inbox, handled at the next start.
HANDLING_ROUNDS = 4
ROUND_PAUSES_SECONDS = (2.0, 5.0, 15.0)

Rehandle = Callable[[Update], Awaitable[Any]]


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
        self._again: Rehandle | None = None

    def handle_again_with(self, process: Rehandle) -> None:
        """How to handle an update once more (the application's process_update)."""
        self._again = process

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
        handling = Handling(update.update_id, replaying, later)
        await self._run(handling, coroutine)
        while handling.failed:
            if await self._is_done(update):  # what it sent is forgotten below, all the same
                break
            if handling.attempt >= HANDLING_ROUNDS or self._again is None:
                log.warning("update %d: Telegram kept failing; kept for the next start", update.update_id)
                return
            await asyncio.sleep(ROUND_PAUSES_SECONDS[min(handling.attempt, len(ROUND_PAUSES_SECONDS)) - 1])
            log.info("update %d: handling it again (round %d)", update.update_id, handling.attempt + 1)
            # What the earlier rounds sent is in the outbox: a replay sends none of it twice.
            handling = Handling(update.update_id, True, later, attempt=handling.attempt + 1)
            await self._run(handling, self._again(update))
        try:
            async with self._sessions.begin() as session:
                await inbox.mark_done(session=session, update_id=update.update_id)
        except (
            SQLAlchemyError
        ):  # handled all the same: at the next start it is replayed, sending nothing twice
            log.warning("update %d: could not mark it done", update.update_id)

    @staticmethod
    async def _run(handling: Handling, coroutine: Awaitable[Any]) -> None:
        token = HANDLING.set(handling)
        try:
            await coroutine
        finally:
            HANDLING.reset(token)

    async def _is_done(self, update: Update) -> bool:
        """Whether the update was marked done (a step saved its draft before Telegram failed), or
        is gone (/forget): then it is not handled again."""
        try:
            async with self._sessions() as session:
                return await inbox.is_done(session=session, update_id=update.update_id)
        except SQLAlchemyError:
            return False

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
