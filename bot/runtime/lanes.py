"""Sending to many chats at once without letting one hold up the others.

Each chat is a lane: its messages go one after another, in the order they were started, so a status
edit never overtakes the result it announces. Lanes run side by side, at most `limit` sends at once
over all of them, so a stalled upload to one user delays only that user.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable

log = logging.getLogger(__name__)


class ChatLanes:
    def __init__(self, limit: int) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._chats: dict[int, asyncio.Lock] = {}
        self._queued: dict[int, int] = {}  # chat id -> sends started and not finished
        self._running: set[Hashable] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def busy(self, chat_id: int) -> bool:
        """Whether the chat has a send under way or waiting."""
        return self._queued.get(chat_id, 0) > 0

    def running(self, key: Hashable) -> bool:
        return key in self._running

    def start(self, chat_id: int, key: Hashable, send: Callable[[], Awaitable[None]]) -> bool:
        """Starts `send` in the chat's lane, unless a send with the same key is under way."""
        if key in self._running:
            return False
        self._running.add(key)
        self._queued[chat_id] = self._queued.get(chat_id, 0) + 1
        task = asyncio.create_task(self._run(chat_id, key, send), name=f"send-{key}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, chat_id: int, key: Hashable, send: Callable[[], Awaitable[None]]) -> None:
        lock = self._chats.setdefault(chat_id, asyncio.Lock())
        try:
            async with lock, self._slots:
                await send()
        except Exception:  # the sender handles what it expects; the rest must not end the lane
            log.exception("send %s to chat %d failed", key, chat_id)
        finally:
            self._running.discard(key)
            self._queued[chat_id] -= 1
            if not self._queued[chat_id]:
                del self._queued[chat_id]
                self._chats.pop(chat_id, None)

    async def drain(self) -> None:
        """Waits for every send under way (shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def cancel(self) -> None:
        for task in list(self._tasks):
            task.cancel()
