"""The conversation: content photo, style picture (sent, or picked from the gallery or recent
ones), strength, then the request is queued.

What the conversation holds until then is its draft (bot.drafts), persisted with the
conversation's state (bot.runtime.persistence), so a restart loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import gallery
from bot.access.profiles import language, profile
from bot.drafts import (
    ALBUM,
    ALBUM_DONE,
    ALBUM_REFUSED,
    CAPTION_STRENGTH,
    CONTENT_ID,
    STYLE_ID,
    drop_uploads,
    note_caption,
    offer_styles,
    store_picture,
    submit_draft,
    user_data,
)
from bot.handlers.cancel import cancel
from bot.handlers.forget import forget_button
from bot.keyboards import (
    FORGET_PATTERN,
    REUSE_PATTERN,
    STRENGTH_PATTERN,
    STYLE_PATTERN,
    parse_reuse,
    parse_strength,
    parse_style,
    strength_keyboard,
)
from bot.services import services
from bot.submission import refusal_text
from bot.texts.catalogue import text
from stylebot import uploads
from stylebot.choices import Strength
from stylebot.outcomes import Refused

log = logging.getLogger(__name__)

CONTENT, STYLE, STRENGTH = range(3)
EXPECTATION = {CONTENT: "expect_content", STYLE: "expect_style", STRENGTH: "expect_strength"}
PICTURES = filters.PHOTO | filters.Document.ALL
END = ConversationHandler.END

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, int]]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Greets the user and asks for the content photo."""
    assert update.effective_message is not None and update.effective_user is not None
    user_data(context).clear()
    await drop_uploads(update, context)
    await update.effective_message.reply_text(
        text(language(update, context), "start", name=update.effective_user.first_name)
    )
    return CONTENT


async def receive_content(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Stores the content photo and asks for the style (or the strength, when a style is kept)."""
    message = update.effective_message
    assert message is not None
    data = user_data(context)
    album = message.media_group_id
    if album is not None and album == data.get(ALBUM_DONE):
        await message.reply_text(text(language(update, context), "album_extra"))
        return END
    upload = await store_picture(update, context)
    if upload is None:
        if album is not None:
            data[ALBUM_REFUSED] = album
        return CONTENT
    kept_style = data.get(STYLE_ID)  # "New photo" under a result keeps its style
    refused_album = data.get(ALBUM_REFUSED)
    data.clear()
    await drop_uploads(update, context, keep={upload} if kept_style is None else {upload, kept_style})
    data[CONTENT_ID] = upload
    note_caption(update, context)
    if kept_style is not None:
        data[STYLE_ID] = kept_style
        return await _pictures_ready(update, context, "got_photo_same_style")
    if album is not None and album != refused_album:
        data[ALBUM] = album  # the style is the album's next picture, arriving a moment later
        return STYLE
    await offer_styles(update, context, "got_content")
    return STYLE


async def receive_style(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Stores the style picture, then asks for the strength or queues the request."""
    message = update.effective_message
    assert message is not None
    data = user_data(context)
    album = message.media_group_id
    if album is not None and album != data.get(ALBUM):
        return await receive_content(update, context)  # a new album starts over: its first is the content
    upload = await store_picture(update, context)
    if upload is None:
        return STYLE
    data[STYLE_ID] = upload
    note_caption(update, context)
    return await _pictures_ready(update, context, "got_both" if album is not None else "got_style")


async def pick_style(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Takes a style from the gallery or the user's recent ones, then asks for the strength."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    lang = language(update, context)
    choice = parse_style(query.data)
    if choice is None or choice.kind == "own":
        await query.answer(text(lang, "send_own_hint"))
        return STYLE
    await query.answer()
    found = services(context)
    upload: int | None = None
    try:
        async with found.sessions.begin() as session:
            if choice.kind == "g":
                folder = found.settings.style_gallery_dir
                picked = await asyncio.to_thread(gallery.read_style, folder, choice.key)
                if picked is not None:
                    style, data = picked
                    upload = await uploads.add_upload(
                        session=session,
                        user_id=update.effective_user.id,
                        file_id=f"gallery:{style.key}",
                        data=data,
                        name=style.name,
                    )
            else:
                upload = await uploads.upload_from_request(
                    session=session,
                    request_id=int(choice.key),
                    user_id=update.effective_user.id,
                    part="style",
                )
    except Refused as refused:
        await _say(update, context, refusal_text(lang, refused))
        return STYLE
    if upload is None:
        await _say(update, context, text(lang, "style_gone"))
        return STYLE
    user_data(context)[STYLE_ID] = upload
    return await _pictures_ready(update, context, "got_style")


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, message: str) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, message)


async def _pictures_ready(update: Update, context: ContextTypes.DEFAULT_TYPE, intro_key: str) -> int:
    """Both pictures are here: queue at the caption's or the default strength, or ask."""
    assert update.effective_message is not None
    strength = (
        Strength.parse(user_data(context).get(CAPTION_STRENGTH)) or profile(update, context).default_strength
    )
    if strength is not None:
        return END if await submit_draft(update, context, strength) else STRENGTH
    lang = language(update, context)
    await update.effective_message.reply_text(text(lang, intro_key), reply_markup=strength_keyboard(lang))
    return STRENGTH


async def choose_strength(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Queues the request and turns the keyboard into its status message."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    strength = parse_strength(query.data)
    if strength is None:
        await query.edit_message_text(text(language(update, context), "expired_button"))
        return END
    return END if await submit_draft(update, context, strength, query=query) else STRENGTH


async def reuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """Keeps one picture of a result (New style / New photo) and asks for the other one."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    lang = language(update, context)
    parsed = parse_reuse(query.data)
    if parsed is None:
        await query.answer(text(lang, "expired_button"))
        return None
    await query.answer()
    try:
        async with services(context).sessions.begin() as session:
            upload = await uploads.upload_from_request(
                session=session,
                request_id=parsed.request_id,
                user_id=update.effective_user.id,
                part="content" if parsed.keep == "content" else "style",
            )
    except Refused as refused:
        await _say(update, context, refusal_text(lang, refused))
        return None  # whatever conversation was going on goes on
    data = user_data(context)
    data.clear()
    await drop_uploads(update, context, keep={upload})
    if parsed.keep == "content":
        data[CONTENT_ID] = upload
        await offer_styles(update, context, "new_style_prompt")
        return STYLE
    data[STYLE_ID] = upload
    await _say(update, context, text(lang, "new_photo_prompt"))
    return CONTENT


async def album_extra(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A third picture of an album while the strength is asked: says only two are used."""
    assert update.effective_message is not None
    if update.effective_message.media_group_id == user_data(context).get(ALBUM):
        await update.effective_message.reply_text(text(language(update, context), "album_extra"))
        return STRENGTH
    return await _remind(STRENGTH)(update, context)


def _remind(state: int) -> Callback:
    async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Says what the bot expects at this point of the conversation."""
        assert update.effective_message is not None
        await update.effective_message.reply_text(text(language(update, context), EXPECTATION[state]))
        return state

    return remind


def _already_started(state: int) -> Callback:
    async def already_started(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Answers a second /start with what the bot expects now."""
        assert update.effective_message is not None
        lang = language(update, context)
        await update.effective_message.reply_text(
            text(lang, "already_started", expectation=text(lang, EXPECTATION[state]))
        )
        return state

    return already_started


def _state_handlers(state: int) -> list[BaseHandler[Update, Any, object]]:
    handlers: list[BaseHandler[Update, Any, object]] = []
    if state == CONTENT:
        handlers.append(MessageHandler(PICTURES, receive_content))
    elif state == STYLE:
        handlers.append(MessageHandler(PICTURES, receive_style))
        handlers.append(CallbackQueryHandler(pick_style, pattern=STYLE_PATTERN))
    else:
        handlers.append(CallbackQueryHandler(choose_strength, pattern=STRENGTH_PATTERN))
        handlers.append(MessageHandler(PICTURES, album_extra))
    handlers.append(CallbackQueryHandler(reuse, pattern=REUSE_PATTERN))
    handlers.append(CommandHandler("start", _already_started(state)))
    handlers.append(MessageHandler(~filters.COMMAND, _remind(state)))
    return handlers


def conversation_handler(*, persistent: bool) -> ConversationHandler[Any]:
    with warnings.catch_warnings():
        # PTB warns that with per_message=False a button is tracked per chat, not per message:
        # that is what we want (one conversation per user, whose last keyboard is the live one).
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler("start", start),
                MessageHandler(PICTURES, receive_content),
                CallbackQueryHandler(reuse, pattern=REUSE_PATTERN),
            ],
            states={state: _state_handlers(state) for state in (CONTENT, STYLE, STRENGTH)},
            # A confirmed /forget ends the conversation too: its pictures are gone.
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(forget_button, pattern=FORGET_PATTERN),
            ],
            name="stylize",
            persistent=persistent,
        )
