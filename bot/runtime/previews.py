"""The painting as it forms, in the status message: the notifier's edits of a running request go
through here, and carry the worker's latest picture (stylebot.previews) when there is a new one.

A text message cannot become a photo, so at the first picture the status is sent again as a photo
(the picture, the status as its caption, the Cancel button) and the text message goes; later
pictures replace it with editMessageMedia, and text-only changes edit its caption. The notifier's
limits apply unchanged: one edit per chat every few seconds, a budget of edits per round; a
picture rides on an edit that was due anyway, or takes the next one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardMarkup, InputMediaPhoto
from telegram.error import TelegramError

from bot.replies import edit_caption, edit_text
from bot.texts.catalogue import text
from stylebot import previews
from stylebot.delivery import Pending

log = logging.getLogger(__name__)


@dataclass
class StatusPictures:
    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    latest: dict[int, previews.Shown] = field(default_factory=dict)  # request id -> newest picture
    on_screen: dict[int, int] = field(default_factory=dict)  # request id -> version shown
    photo_ids: dict[int, int] = field(default_factory=dict)  # request id -> status photo's message id

    async def refresh(self, session: AsyncSession, running: list[Pending]) -> None:
        """Reads which running requests have a newer picture than the one shown (no bytes read)."""
        ids = [request.id for request in running if request.status_message_id is not None]
        self.latest = await previews.latest(session=session, request_ids=ids)
        for gone in set(self.on_screen) - set(ids):  # finished: nothing more to show
            self.forget(gone)

    def forget(self, request_id: int) -> None:
        self.on_screen.pop(request_id, None)
        self.photo_ids.pop(request_id, None)

    def new_picture(self, request_id: int) -> bool:
        shown = self.latest.get(request_id)
        return shown is not None and shown.version > self.on_screen.get(request_id, 0)

    def _is_photo(self, request_id: int) -> bool:
        shown = self.latest.get(request_id)
        return request_id in self.photo_ids or (shown is not None and shown.status_photo)

    async def edit(self, request: Pending, lang: str, new_text: str, markup: InlineKeyboardMarkup) -> bool:
        """Shows `new_text` in the request's status, with the newest picture if there is one; True
        when the status shows them. Raises TelegramError as a text edit would."""
        assert request.status_message_id is not None
        message_id = self.photo_ids.get(request.id, request.status_message_id)
        if not self.new_picture(request.id):
            if not self._is_photo(request.id):
                return await edit_text(
                    self.bot,
                    chat_id=request.chat_id,
                    message_id=message_id,
                    new_text=new_text,
                    reply_markup=markup,
                )
            return await edit_caption(
                self.bot,
                chat_id=request.chat_id,
                message_id=message_id,
                caption=self._said(lang, new_text),
                reply_markup=markup,
            )
        async with self.sessions() as session:
            found = await previews.image(session=session, request_id=request.id)
        if found is None:  # the job ended meanwhile: its result comes next
            return False
        version, image = found
        caption = self._said(lang, new_text)
        if self._is_photo(request.id):
            await self.bot.edit_message_media(
                InputMediaPhoto(image, caption=caption),
                chat_id=request.chat_id,
                message_id=message_id,
                reply_markup=markup,
            )
        else:
            await self._switch(request, image, caption, markup)
        self.on_screen[request.id] = version
        return True

    @staticmethod
    def _said(lang: str, status: str) -> str:
        return f"{status}\n\n{text(lang, 'preview_note')}"

    async def _switch(
        self, request: Pending, image: bytes, caption: str, markup: InlineKeyboardMarkup
    ) -> None:
        """The status becomes a photo: sent anew, recorded, and the text message deleted."""
        assert request.status_message_id is not None
        sent = await self.bot.send_photo(request.chat_id, photo=image, caption=caption, reply_markup=markup)
        self.photo_ids[request.id] = sent.message_id
        async with self.sessions.begin() as session:
            await previews.mark_status_photo(
                session=session, request_id=request.id, message_id=sent.message_id
            )
        try:
            await self.bot.delete_message(request.chat_id, request.status_message_id)
        except TelegramError as exc:  # the photo is the status now; the old text is only clutter
            log.info("request %d: old status not deleted (%s)", request.id, exc)
