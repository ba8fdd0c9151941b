"""The questions the conversation asks, each with its buttons: which style (with the gallery's
preview and the user's recent styles as pictures), how strong, and which picture a new one replaces.

Each returns the id of the message that carries the buttons, for the draft: /cancel and /start take
the buttons of an open question away.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, TelegramError

from bot import gallery
from bot.keyboards import strength_keyboard, style_keyboard, which_keyboard
from bot.services import Services
from bot.texts.catalogue import text
from bot.texts.choices import style_name
from stylebot import telegram_files, uploads

log = logging.getLogger(__name__)


async def ask_style(
    found: Services, bot: Bot, *, chat_id: int, user_id: int, lang: str, intro_key: str
) -> int:
    """Your recent styles (a picture, if you have any), then the gallery's preview with the question
    and a button for each style."""
    styles = await asyncio.to_thread(gallery.list_styles, found.settings.style_gallery_dir)
    async with found.sessions() as session:
        recent = await uploads.recent_styles(
            session=session, user_id=user_id, skip_names={style.name for style in styles}
        )
    if recent:
        labels = [str(n) for n in range(1, len(recent) + 1)]
        pictures = await asyncio.to_thread(gallery.grid, [r.picture for r in recent], labels=labels)
        try:
            await bot.send_photo(chat_id, photo=pictures, caption=text(lang, "recent_styles_caption"))
        except TelegramError as exc:  # a picture of the buttons: the question goes on without it
            log.warning("recent styles not shown in chat %d: %s", chat_id, exc)
    keyboard = style_keyboard(
        lang,
        [(style_name(lang, style.name, style.slug), style.key) for style in styles],
        [r.request_id for r in recent],
    )
    question = f"{text(lang, intro_key)}\n{text(lang, 'or_pick')}"
    if not styles:
        return (await bot.send_message(chat_id, question, reply_markup=keyboard)).message_id
    preview = await asyncio.to_thread(gallery.preview, styles)
    try:
        return await _send_cached_photo(found, bot, chat_id, preview, caption=question, keyboard=keyboard)
    except TelegramError as exc:
        # The preview is decoration: Telegram failed every try of it, so the question goes as text,
        # with the same buttons (a failure of this one too fails the step: bot.runtime.ordering).
        log.warning("gallery preview not sent in chat %d (%s): the question goes as text", chat_id, exc)
    return (await bot.send_message(chat_id, question, reply_markup=keyboard)).message_id


async def _send_cached_photo(
    found: Services, bot: Bot, chat_id: int, picture: bytes, *, caption: str, keyboard: InlineKeyboardMarkup
) -> int:
    """Sends `picture` by the file_id of its first upload, when Telegram gave one."""
    key = f"preview:{hashlib.sha256(picture).hexdigest()[:40]}"
    async with found.sessions() as session:
        file_id = await telegram_files.file_id_for(session=session, key=key)
    if file_id is not None:
        try:
            message = await bot.send_photo(chat_id, photo=file_id, caption=caption, reply_markup=keyboard)
            return message.message_id
        except BadRequest:  # the file_id is no longer valid (another bot token, a wiped server)
            log.info("cached preview %s refused by Telegram; uploading it again", key)
    message = await bot.send_photo(chat_id, photo=picture, caption=caption, reply_markup=keyboard)
    if message.photo:
        async with found.sessions.begin() as session:
            await telegram_files.remember_file_id(session=session, key=key, file_id=message.photo[-1].file_id)
    return message.message_id


async def ask_strength(bot: Bot, *, chat_id: int, lang: str, intro_key: str) -> int:
    message = await bot.send_message(chat_id, text(lang, intro_key), reply_markup=strength_keyboard(lang))
    return message.message_id


async def ask_which(message: Message, *, lang: str) -> int:
    """A picture sent at the strength question: the new photo, or the new style?"""
    asked = await message.reply_text(text(lang, "which_picture"), reply_markup=which_keyboard(lang))
    return asked.message_id


async def close_question(bot: Bot, *, chat_id: int, message_id: int | None) -> None:
    """Takes the buttons off a question that is no longer open (gone or unchanged: never mind)."""
    if message_id is None:
        return
    try:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)
    except TelegramError as exc:
        log.info("could not close question %d in chat %d: %s", message_id, chat_id, exc)
