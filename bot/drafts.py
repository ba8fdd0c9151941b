"""A request in the making: what a conversation holds until it is queued.

The user's data (persisted with the conversation, bot.runtime.persistence) holds only small values:
the ids of the uploaded pictures, an album's id, a strength named in a caption. The pictures are
rows of the uploads table until the request is made.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Update
from telegram.ext import ContextTypes

from bot import gallery
from bot.access.profiles import language, profile
from bot.keyboards import strength_keyboard, style_keyboard
from bot.pictures import PictureRefused, fetch_picture
from bot.services import services
from bot.submission import StatusPlace, refusal_text, submit
from bot.texts.catalogue import text
from bot.texts.strengths import strength_from_words
from stylebot import uploads
from stylebot.choices import Strength
from stylebot.outcomes import Refusal, Refused
from stylebot.submissions import Order, Pictures, pictures_of_uploads

log = logging.getLogger(__name__)

# Keys of context.user_data.
CONTENT_ID, STYLE_ID = "content", "style"  # upload ids
CAPTION_STRENGTH = "strength"
ALBUM = "album"  # media_group_id of the album whose first picture is the content
ALBUM_REFUSED = "album_refused"  # ... whose first picture was refused: the next one is the content
ALBUM_DONE = "album_done"  # ... that has been queued: more pictures of it are extras


def user_data(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
    assert context.user_data is not None
    return context.user_data


async def store_picture(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """Downloads and checks the message's picture and keeps it as an upload; None after saying why not."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    found = services(context)
    try:
        picture = await fetch_picture(
            message,
            max_pixels=found.settings.image_max_pixels,
            local_mode=found.settings.telegram_local_mode,
        )
    except PictureRefused as refused:
        await message.reply_text(refused.say(language(update, context)))
        return None
    if picture.animated:
        await message.reply_text(text(language(update, context), "first_frame"))
    async with found.sessions.begin() as session:
        return await uploads.add_upload(
            session=session, user_id=update.effective_user.id, file_id=picture.file_id, data=picture.data
        )


def note_caption(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    strength = strength_from_words(update.effective_message.caption)
    if strength is not None:
        user_data(context)[CAPTION_STRENGTH] = strength.value


async def drop_uploads(
    update: Update, context: ContextTypes.DEFAULT_TYPE, keep: set[int] | None = None
) -> None:
    """Deletes pictures of a conversation the user left (started over, or cancelled)."""
    assert update.effective_user is not None
    async with services(context).sessions.begin() as session:
        await uploads.drop_uploads(session=session, user_id=update.effective_user.id, keep=keep)


async def offer_styles(update: Update, context: ContextTypes.DEFAULT_TYPE, intro_key: str) -> None:
    """Asks for the style, with the gallery's and the user's recent styles as buttons."""
    assert update.effective_message is not None and update.effective_user is not None
    found = services(context)
    lang = language(update, context)
    styles = await asyncio.to_thread(gallery.list_styles, found.settings.style_gallery_dir)
    async with found.sessions() as session:
        recent = await uploads.recent_styles(session=session, user_id=update.effective_user.id)
    gallery_names = {style.name for style in styles}
    keyboard = style_keyboard(
        lang,
        [(style.name, style.key) for style in styles],
        [(r.request_id, r.name) for r in recent if r.name not in gallery_names],
    )
    message = text(lang, intro_key)
    if keyboard is not None:
        message += "\n" + text(lang, "or_pick")
    await update.effective_message.reply_text(message, reply_markup=keyboard)


async def submit_draft(
    update: Update, context: ContextTypes.DEFAULT_TYPE, strength: Strength, query: CallbackQuery | None = None
) -> bool:
    """Queues the draft at `strength`. True when the conversation is over (queued, or nothing left
    to queue); False when a limit refused it for now (the pictures are kept)."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    data = user_data(context)
    lang = language(update, context)
    content, style = data.get(CONTENT_ID), data.get(STYLE_ID)
    if content is None or style is None:
        if query is not None:
            await query.edit_message_text(text(lang, "expired_button"))
        return True
    preferences = profile(update, context)
    pressed = query.message.message_id if query is not None and query.message is not None else None

    order = Order(strength, keep_colors=preferences.keep_colors, size=preferences.output_size)

    async def draft(session: AsyncSession) -> tuple[Pictures, Order]:
        pictures = await pictures_of_uploads(
            session=session, user_id=user.id, content_id=content, style_id=style
        )
        return pictures, order

    try:
        await submit(
            services(context),
            context.bot,
            user_id=user.id,
            lang=lang,
            what=draft,
            place=StatusPlace(chat.id, edit=pressed),
        )
    except Refused as refused:
        if refused.reason == Refusal.PICTURES_GONE:
            data.clear()
            await context.bot.send_message(chat.id, refusal_text(lang, refused))
            return True
        # A limit: the pictures are kept, and the strength buttons work again once a place is free.
        keyboard = strength_keyboard(lang) if query is None else None
        await context.bot.send_message(chat.id, refusal_text(lang, refused), reply_markup=keyboard)
        return False
    album = data.get(ALBUM)
    data.clear()
    if album is not None:
        data[ALBUM_DONE] = album
    return True
