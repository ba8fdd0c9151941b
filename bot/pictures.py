"""Getting a picture out of a message: a photo, or an image sent as a file."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import Document, Message
from telegram.error import TelegramError

from bot.handling import is_transient
from bot.texts.catalogue import text
from stylebot.images import STORED_MAX_SIDE, BadImage, check_upload

log = logging.getLogger(__name__)

# GIFs are taken too (their first frame); Telegram sends most GIFs as videos, which are not. HEIC
# and HEIF are the iPhone's originals, sent as files.
ACCEPTED_MIME_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "image/heic",
    "image/heif",
    "image/heic-sequence",
    "image/heif-sequence",
    "image/avif",
}
# Some apps send these without a picture's MIME type (application/octet-stream): the name says it.
ACCEPTED_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".hif", ".avif")


class PictureRefused(Exception):
    """The message's picture cannot be used; `text_key` and `values` say why, for the user."""

    def __init__(self, text_key: str, **values: object) -> None:
        super().__init__(text_key)
        self.text_key = text_key
        self.values = values

    def say(self, lang: str) -> str:
        if self.text_key == "picture_refused":  # the reason is a text of its own, with its own values
            values = dict(self.values)
            reason = text(lang, f"image_{values.pop('reason_code')}", **values)
            return text(lang, "picture_refused", reason=reason)
        return text(lang, self.text_key, **self.values)


@dataclass(frozen=True)
class Picture:
    file_id: str
    data: bytes  # as stored: a phone's 100-megapixel photo is shrunk to what the engine can use
    animated: bool = False  # only the first frame is used


def is_picture_file(document: Document) -> bool:
    """Whether a file sent as a document claims to be a picture we read, by its type or its name."""
    if document.mime_type in ACCEPTED_MIME_TYPES:
        return True
    generic = document.mime_type in (None, "application/octet-stream")
    return generic and (document.file_name or "").lower().endswith(ACCEPTED_SUFFIXES)


async def fetch_picture(
    message: Message, *, max_pixels: int, local_mode: bool = False, max_side: int = STORED_MAX_SIDE
) -> Picture:
    """Downloads and checks the picture in `message`; raises PictureRefused with a reason."""
    if message.photo:
        file_id = message.photo[-1].file_id  # the largest size Telegram made
    elif message.document is not None and is_picture_file(message.document):
        file_id = message.document.file_id
    else:
        raise PictureRefused("not_an_image")
    try:
        telegram_file = await message.get_bot().get_file(file_id)
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as exc:
        if is_transient(exc):  # Telegram failed every try: the update is handled again, photo and all
            raise
        if "too big" in exc.message.lower() and not local_mode:
            raise PictureRefused("too_big") from exc
        log.info("download of %s failed: %s", file_id, exc.message)  # Telegram's words are English
        raise PictureRefused("download_failed") from exc
    try:
        # Decoding is CPU work: off the event loop, so other users are not kept waiting.
        info, stored = await asyncio.to_thread(check_upload, data, max_pixels=max_pixels, max_side=max_side)
    except BadImage as exc:
        raise PictureRefused("picture_refused", reason_code=exc.code, **exc.values) from exc
    return Picture(file_id=file_id, data=stored, animated=info.animated)
