"""What handling an update sends to Telegram, remembered, so that a replayed update sends it once.

Every Bot API call the bot makes goes through `RememberingRequest`. While an update is handled
(the update processor sets bot.handling.HANDLING), each call that changes what a user sees is
numbered, and Telegram's answer is stored under (update, number) with the method called. When the
update is handled again after a crash, a call whose answer is stored is not made again: the stored
answer is returned, so the handler goes on exactly as the first time, message ids included.

A replay may go another way than the first run (a branch that depends on timing: whether an album's
third picture had arrived, whether the gallery's picture was uploaded before). A stored answer is
handed only to a call of the same method; at the first call that differs, the replay has left the
first run's path, and from there on every call is made for real (and recorded anew).

Every call made while an update is handled, remembered or not, is also where Telegram's hiccups are
tried again and its harmless refusals taken as done (bot.runtime.transient): the one place for both.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.error import TelegramError
from telegram.request import HTTPXRequest, RequestData

from bot.handling import HANDLING, Handling
from bot.metrics import BotMetrics
from bot.runtime import transient
from stylebot import inbox

log = logging.getLogger(__name__)

# Calls that change what a user sees. Reads (getFile, getMe) and chat actions are not remembered.
REMEMBERED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
        "deleteMessage",
        "answerCallbackQuery",
    }
)


class RememberingRequest(HTTPXRequest):
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], metrics: BotMetrics | None = None, **options: Any
    ) -> None:
        super().__init__(**options)
        self._sessions = sessions
        self._metrics = metrics

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        handling = HANDLING.get()
        if handling is None:
            return await self._call(endpoint, url, method, request_data, *args, **kwargs)
        if endpoint not in REMEMBERED:
            return await self._retried(endpoint, url, method, request_data, *args, **kwargs)
        seq = handling.calls
        handling.calls += 1
        if handling.replaying:
            answered = await self._replayed(handling, seq, endpoint)
            if answered is not None:
                return HTTPStatus.OK, answered.encode()
        code, payload = await self._retried(endpoint, url, method, request_data, *args, **kwargs)
        if code == HTTPStatus.OK:
            try:
                async with self._sessions.begin() as session:
                    await inbox.record_sent(
                        session=session,
                        update_id=handling.update_id,
                        seq=seq,
                        method=endpoint,
                        response=payload.decode(),
                    )
            except SQLAlchemyError:  # the user has the message; a replay would repeat it, rarely
                log.warning("update %d: could not remember call %d (%s)", handling.update_id, seq, endpoint)
        return code, payload

    async def _replayed(self, handling: Handling, seq: int, endpoint: str) -> str | None:
        """The stored answer to this call, if the first run made the same call at this place."""
        async with self._sessions() as session:
            sent = await inbox.sent_call(session=session, update_id=handling.update_id, seq=seq)
        if sent is None:
            return None
        if sent.method in (endpoint, None):
            log.info("update %d: call %d (%s) was made before the restart", handling.update_id, seq, endpoint)
            return sent.response
        log.warning(
            "update %d: call %d was %s before the restart and is %s now: the rest is made anew",
            handling.update_id,
            seq,
            sent.method,
            endpoint,
        )
        handling.replaying = False
        async with self._sessions.begin() as session:
            await inbox.forget_sent(session=session, update_id=handling.update_id, from_seq=seq)
        return None

    async def _retried(
        self,
        endpoint: str,
        url: str,
        method: str,
        request_data: RequestData | None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        """A call made while handling an update: Telegram's hiccups (bot.runtime.transient) are
        tried again, with a bounded backoff, before the handler sees them; harmless refusals are
        answered as a success."""
        attempt = 1
        while True:
            try:
                code, payload = await self._call(
                    endpoint, url, method, request_data, *args, in_handler=True, **kwargs
                )
            except TelegramError as exc:  # no answer: timed out, or the connection failed
                if attempt >= transient.ATTEMPTS:
                    raise
                wait = transient.pause_before(attempt)
                log.info("%s: no answer (%s); trying again in %.1f s", endpoint, type(exc).__name__, wait)
            else:
                if not transient.worth_retrying(code) or attempt >= transient.ATTEMPTS:
                    return code, payload
                asked = transient.retry_after(payload) if code == HTTPStatus.TOO_MANY_REQUESTS else None
                if asked is not None and asked > transient.MAX_RETRY_AFTER_SECONDS:
                    return code, payload
                wait = asked if asked is not None else transient.pause_before(attempt)
                log.info("%s: Telegram answered %d; trying again in %.1f s", endpoint, code, wait)
            await asyncio.sleep(wait)
            attempt += 1

    async def _call(
        self,
        endpoint: str,
        url: str,
        method: str,
        request_data: RequestData | None,
        *args: Any,
        in_handler: bool = False,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        except TelegramError as exc:  # no answer: timed out, or the connection failed
            if self._metrics is not None:
                self._metrics.count_telegram_error(exc)
            raise
        if transient.harmless(code, payload, in_handler=in_handler):
            return HTTPStatus.OK, transient.TRUE_ANSWER
        if code != HTTPStatus.OK and self._metrics is not None:
            self._metrics.count_http_error(code)
        return code, payload
