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
from bot.handling import handled_update_id
from bot.keyboards import strength_keyboard, style_keyboard, which_keyboard
from bot.services import Services
from bot.texts.catalogue import text
from bot.texts.choices import style_name
from stylebot import telegram_files, uploads, users

log = logging.getLogger(__name__)


async def ask_style(
    found: Services, bot: Bot, *, chat_id: int, user_id: int, lang: str, intro_key: str
) -> int:
    """The question with a button for each style, in one message: on the gallery's preview the first
    time (and whenever the gallery changed), later on the user's recent styles as a picture, or as
    text with a button that shows the gallery again."""
    styles = await asyncio.to_thread(gallery.list_styles, found.settings.style_gallery_dir)
    async with found.sessions() as session:
        recent = await uploads.recent_styles(
            session=session, user_id=user_id, skip_names={style.name for style in styles}
        )
        shown = await users.gallery_shown(session=session, user_id=user_id)
    preview = await asyncio.to_thread(gallery.preview, styles) if styles else None
    key = _preview_key(preview) if preview is not None else None
    # Noted with the update that showed it: a replay of that update (after a crash) shows it again,
    # so it makes the same calls as before and the outbox hands them their recorded answers.
    update_id = handled_update_id()
    shown_key, _, shown_by = (shown or "").partition("@")
    fresh = key is not None and (key != shown_key or (update_id is not None and shown_by == str(update_id)))
    keyboard = style_keyboard(
        lang,
        [(style_name(lang, style.name, style.slug), style.key) for style in styles],
        [r.request_id for r in recent],
        show_gallery=key is not None and not fresh,
    )
    recent_picture = None
    if recent:
        labels = [str(n) for n in range(1, len(recent) + 1)]
        recent_picture = await asyncio.to_thread(gallery.grid, [r.picture for r in recent], labels=labels)
    # The pictures are decoration: when Telegram fails every try of one (bot.runtime.transient), the
    # question goes on without it, as text with the same buttons. A failure of the text itself fails
    # the step, which is then handled again (bot.runtime.ordering).
    if preview is not None and fresh:
        if recent_picture is not None:
            try:
                await bot.send_photo(
                    chat_id, photo=recent_picture, caption=text(lang, "recent_styles_caption")
                )
            except TelegramError as exc:
                log.warning("recent styles not shown in chat %d: %s", chat_id, exc)
        question = f"{text(lang, intro_key)}\n{text(lang, 'or_pick')}"
        try:
            message_id = await _send_cached_photo(
                found, bot, chat_id, preview, caption=question, keyboard=keyboard
            )
        except TelegramError as exc:
            log.warning("gallery preview not sent in chat %d (%s): the question goes as text", chat_id, exc)
            return (await bot.send_message(chat_id, question, reply_markup=keyboard)).message_id
        await found.profiles.change(user_id, gallery_shown=f"{key}@{update_id or ''}")
        return message_id
    question = f"{text(lang, intro_key)}\n{text(lang, 'or_pick_shown' if styles else 'or_pick')}"
    if recent_picture is not None:
        pictured = f"{question}\n{text(lang, 'recent_styles_caption')}"
        try:
            sent = await bot.send_photo(
                chat_id, photo=recent_picture, caption=pictured, reply_markup=keyboard
            )
            return sent.message_id
        except TelegramError as exc:
            log.warning("recent styles not shown in chat %d (%s): the question goes as text", chat_id, exc)
    return (await bot.send_message(chat_id, question, reply_markup=keyboard)).message_id


async def show_gallery(found: Services, bot: Bot, *, chat_id: int, lang: str) -> None:
    """The gallery's preview again, asked for with its button (the question stays where it is)."""
    styles = await asyncio.to_thread(gallery.list_styles, found.settings.style_gallery_dir)
    if not styles:
        return
    preview = await asyncio.to_thread(gallery.preview, styles)
    await _send_cached_photo(
        found, bot, chat_id, preview, caption=text(lang, "gallery_caption"), keyboard=None
    )


def _preview_key(picture: bytes) -> str:
    return f"preview:{hashlib.sha256(picture).hexdigest()[:40]}"


async def _send_cached_photo(
    found: Services,
    bot: Bot,
    chat_id: int,
    picture: bytes,
    *,
    caption: str,
    keyboard: InlineKeyboardMarkup | None,
) -> int:
    """Sends `picture` by the file_id of its first upload, when Telegram gave one."""
    key = _preview_key(picture)
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
