"""Receiving updates so that none is lost: each is written to the inbox before Telegram is told it
arrived (the next getUpdates, or the webhook's answer), and handled after.

python-telegram-bot's own Updater confirms a batch when it asks for the next one, before the batch
is handled, so a crash lost what was in hand; this module replaces it, for polling and webhooks.
Updates left unhandled by a crash are replayed at start-up (bot.runtime.outbox keeps a replay from
sending anything twice), and an update Telegram delivers again is recognised and skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.replies import retry_seconds
from bot.runtime.ordering import UpdateProcessor
from stylebot import inbox

log = logging.getLogger(__name__)

# my_chat_member: to tell a group that adds the bot that it works in private chats only.
# inline_query: Share (inline mode); message_reaction: reactions on results (private chats, or
# groups where the bot is an admin).
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member", "inline_query", "message_reaction"]
POLL_SECONDS = 30  # long polling: Telegram answers at once when an update arrives
MAX_PAUSE_SECONDS = 30.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Dispatch = Callable[[Update], Awaitable[None]]


class Receiver:
    """Stores updates in the inbox, then hands them to the application's queue."""

    def __init__(
        self,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        processor: UpdateProcessor,
        dispatch: Dispatch,
        *,
        on_received: Callable[[str, int], None] = lambda source, count: None,
    ) -> None:
        self._bot = bot
        self._sessions = sessions
        self._processor = processor
        self._dispatch = dispatch
        self._on_received = on_received
        self.accepting = True  # False once the bot is stopping: no new updates are taken

    async def replay(self) -> int:
        """Hands over the updates a previous run received but did not finish; returns how many."""
        async with self._sessions() as session:
            pending = await inbox.pending_updates(session=session)
        updates = [Update.de_json(payload, self._bot) for _, payload in pending]
        self._processor.replaying({update.update_id for update in updates})
        for update in updates:
            await self._dispatch(update)
        if updates:
            log.info("replaying %d update(s) received before the last stop", len(updates))
        return len(updates)

    async def take(self, updates: list[Update], source: str) -> None:
        """Stores `updates`, then hands over those that are new.

        While the database is away nothing can be stored, and no handler could do its work either:
        the updates are handed over all the same, so that each user is told at once that the bot
        is busy (bot.access.profiles), rather than waiting for an answer that would come late."""
        try:
            async with self._sessions.begin() as session:
                new = await inbox.store_updates(
                    session=session,
                    updates=[
                        (u.update_id, u.effective_user.id if u.effective_user else None, u.to_dict())
                        for u in updates
                    ],
                )
        except SQLAlchemyError as exc:
            log.warning(
                "%d update(s) not recorded (%s): the users are told the bot is busy",
                len(updates),
                type(exc).__name__,
            )
            new = {update.update_id for update in updates}
        self._on_received(source, len(new))
        for update in updates:
            if update.update_id in new:
                await self._dispatch(update)

    async def poll(self, stop: asyncio.Event, *, timeout: int = POLL_SECONDS) -> None:
        """getUpdates until `stop` is set. The offset moves past a batch only once it is stored."""
        offset: int | None = None
        pause = 1.0
        while not stop.is_set() and self.accepting:
            try:
                updates = await self._bot.get_updates(
                    offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES
                )
                if not self.accepting:  # stopping: unconfirmed, Telegram hands them to the next run
                    return
                if updates:
                    await self.take(list(updates), "polling")
                    offset = updates[-1].update_id + 1
                pause = 1.0
            except asyncio.CancelledError:
                raise
            except InvalidToken:
                raise
            except TimedOut:
                continue  # a long poll that outlived the client's timeout: ask again
            except RetryAfter as exc:
                await _wait(stop, retry_seconds(exc.retry_after))
            except (Conflict, NetworkError) as exc:
                # Conflict: a webhook is set or another process polls. The batch is asked for again.
                log.warning("getUpdates failed (%s); trying again in %.0f s", type(exc).__name__, pause)
                await _wait(stop, pause)
                pause = min(pause * 2, MAX_PAUSE_SECONDS)

    def webhook_handler(self, secret: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        """The aiohttp handler for Telegram's POSTs: 200 only once the update is stored."""

        async def receive(request: web.Request) -> web.Response:
            if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
                return web.Response(status=403)
            if not self.accepting:
                return web.Response(status=503, text="stopping")  # Telegram posts it again later
            try:
                update = Update.de_json(await request.json(), self._bot)
            except ValueError:
                return web.Response(status=400)
            await self.take([update], "webhook")
            return web.Response(status=200)

        return receive


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
