"""What handling an update sends to Telegram, remembered, so that a replayed update sends it once.

Every Bot API call the bot makes goes through `RememberingRequest`. While an update is handled
(the update processor sets `HANDLING`), each call that changes what a user sees is numbered, and
Telegram's answer is stored under (update, number). When the update is handled again after a
crash, a call whose answer is stored is not made again: the stored answer is returned, so the
handler goes on exactly as the first time, message ids included.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.request import HTTPXRequest, RequestData

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
# Telegram refuses to answer a button press after a while (say, one pressed while the bot was down):
# the answer only stops a spinner that is long gone, so the refusal is not an error.
STALE_QUERY = b"query is too old"
TRUE_ANSWER = b'{"ok":true,"result":true}'


@dataclass
class Handling:
    """The update being handled in this task, and how many remembered calls it has made."""

    update_id: int
    replaying: bool
    calls: int = 0


HANDLING: ContextVar[Handling | None] = ContextVar("handling", default=None)


class RememberingRequest(HTTPXRequest):
    def __init__(self, sessions: async_sessionmaker[AsyncSession], **options: Any) -> None:
        super().__init__(**options)
        self._sessions = sessions

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
        if handling is None or endpoint not in REMEMBERED:
            return await self._call(endpoint, url, method, request_data, *args, **kwargs)
        seq = handling.calls
        handling.calls += 1
        if handling.replaying:
            async with self._sessions() as session:
                answered = await inbox.sent_response(session=session, update_id=handling.update_id, seq=seq)
            if answered is not None:
                log.info(
                    "update %d: call %d (%s) was made before the restart", handling.update_id, seq, endpoint
                )
                return HTTPStatus.OK, answered.encode()
        code, payload = await self._call(endpoint, url, method, request_data, *args, **kwargs)
        if code == HTTPStatus.OK:
            try:
                async with self._sessions.begin() as session:
                    await inbox.record_sent(
                        session=session, update_id=handling.update_id, seq=seq, response=payload.decode()
                    )
            except SQLAlchemyError:  # the user has the message; a replay would repeat it, rarely
                log.warning("update %d: could not remember call %d (%s)", handling.update_id, seq, endpoint)
        return code, payload

    async def _call(
        self,
        endpoint: str,
        url: str,
        method: str,
        request_data: RequestData | None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        if endpoint == "answerCallbackQuery" and code == HTTPStatus.BAD_REQUEST and STALE_QUERY in payload:
            return HTTPStatus.OK, TRUE_ANSWER
        return code, payload
