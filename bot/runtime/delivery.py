"""Telling a user the outcome of their request: the painting (a photo, or three side by side), or
why there is none. The status message goes once the picture is there.

A send Telegram answered is recorded at once. If the database will not take the record, the answer
is kept in memory and only the record is tried again, never the send. A send whose answer was lost
(the connection dropped after Telegram took it) is sent again: Telegram gives no way to ask.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InputMediaPhoto, Message
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.keyboards import compare_keyboard, keyboard_under_result
from bot.replies import edit_text, upload_seconds
from bot.texts.captions import caption
from bot.texts.catalogue import language_for, text
from bot.texts.choices import request_style_name, strength_label
from bot.texts.status import failure_text
from stylebot import delivery, resultmessages, results
from stylebot.choices import Strength
from stylebot.delivery import Pending
from stylebot.models import Status
from stylebot.outcomes import Failure

log = logging.getLogger(__name__)


def language_of(request: Pending) -> str:
    return language_for(request.language, request.telegram_language)


@dataclass
class Deliverer:
    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    # Telegram took these (request id -> message id) but the database did not take the record yet.
    unrecorded: dict[int, int | None] = field(default_factory=dict)

    async def deliver(self, request: Pending) -> None:
        """Sends the outcome and records it; raises TelegramError for the caller's retry policy."""
        if request.id in self.unrecorded:
            await self.record(request.id, self.unrecorded[request.id])
            return
        lang = language_of(request)
        if request.status == Status.FAILED:
            await self._failure(request, lang)
        elif request.compare:
            await self._comparison(request, lang)
        else:
            await self._painting(request, lang)

    async def record(self, request_id: int, message_id: int | None, error: str | None = None) -> None:
        self.unrecorded[request_id] = message_id
        async with self.sessions.begin() as session:
            await delivery.mark_delivered(
                session=session, request_id=request_id, result_message_id=message_id, error=error
            )
        del self.unrecorded[request_id]

    async def _failure(self, request: Pending, lang: str) -> None:
        said = text(lang, "failure_message", reason=failure_text(lang, request.error))
        async with self.sessions() as session:  # read again: it may have become a photo meanwhile
            status_id = await delivery.status_message(session=session, request_id=request.id)
        if status_id is not None and await edit_text(
            self.bot, chat_id=request.chat_id, message_id=status_id, new_text=said
        ):
            await self.record(request.id, status_id)
            return
        message = await self.bot.send_message(request.chat_id, said)
        await self.record(request.id, message.message_id)

    async def _painting(self, request: Pending, lang: str) -> None:
        async with self.sessions() as session:
            image = await delivery.result_image(session=session, request_id=request.id)
        if image is None:
            await self.record(request.id, None, error=Failure.RESULT_MISSING)
            return
        await self.bot.send_chat_action(request.chat_id, ChatAction.UPLOAD_PHOTO)
        message = await self.bot.send_photo(
            request.chat_id,
            photo=image,
            caption=caption(lang, request),
            reply_markup=keyboard_under_result(lang, request),
            write_timeout=upload_seconds(len(image)),
        )
        await self.record(request.id, message.message_id)
        await self._remember(request, [(message, None)])
        await self._clear_status(request, lang)

    async def _comparison(self, request: Pending, lang: str) -> None:
        async with self.sessions() as session:
            pictures = await results.variants(session=session, request_id=request.id)
        if not pictures:
            await self.record(request.id, None, error=Failure.RESULT_MISSING)
            return
        await self.bot.send_chat_action(request.chat_id, ChatAction.UPLOAD_PHOTO)
        album = [
            InputMediaPhoto(picture.image, caption=strength_label(lang, picture.strength or request.strength))
            for picture in pictures
        ]
        sent = await self.bot.send_media_group(
            request.chat_id, album, write_timeout=upload_seconds(sum(len(p.image) for p in pictures))
        )
        await self.record(request.id, sent[0].message_id)
        await self._remember(request, list(zip(sent, [p.strength for p in pictures], strict=False)))
        try:  # an album carries no buttons: they come in a message of their own, one per strength
            await self.bot.send_message(
                request.chat_id,
                text(
                    lang,
                    "compare_done",
                    style=request_style_name(lang, request.style_name, request.style_file_id),
                ),
                reply_markup=compare_keyboard(lang, request.id),
            )
        except TelegramError as exc:  # the pictures are there; the buttons are a convenience
            log.warning("request %d: buttons under the comparison not sent (%s)", request.id, exc)
        await self._clear_status(request, lang)

    async def _remember(self, request: Pending, messages: list[tuple[Message, Strength | None]]) -> None:
        """Records the messages that carry the painting (for repeated taps, /history, inline mode
        and reactions): a convenience, so a database that will not take it costs only that."""
        try:
            async with self.sessions.begin() as session:
                for message, strength in messages:
                    largest = message.photo[-1] if message.photo else None
                    await resultmessages.remember(
                        session=session,
                        chat_id=request.chat_id,
                        message_id=message.message_id,
                        request_id=request.id,
                        kind=resultmessages.Kind.PHOTO,
                        strength=strength,
                        file_id=largest.file_id if largest is not None else None,
                    )
        except SQLAlchemyError:  # the painting is delivered; only the shortcuts are lost
            log.warning("request %d: its result messages not recorded", request.id, exc_info=True)

    async def _clear_status(self, request: Pending, lang: str) -> None:
        """The status message has done its job once the picture is there: it goes (a message too old
        for Telegram to delete loses its Cancel button instead)."""
        async with self.sessions() as session:  # read again: it may have become a photo meanwhile
            message_id = await delivery.status_message(session=session, request_id=request.id)
        if message_id is None:
            return
        try:
            await self.bot.delete_message(request.chat_id, message_id)
        except TelegramError:
            await edit_text(
                self.bot,
                chat_id=request.chat_id,
                message_id=message_id,
                new_text=text(lang, "status_done_line"),
            )
