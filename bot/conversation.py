"""The conversation: content photo, style picture, strength button, then the request is queued."""

from __future__ import annotations

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

from bot.keyboards import STRENGTH_PATTERN, cancel_keyboard, parse_strength, strength_keyboard
from bot.messages import edit_text
from bot.photos import Picture, PictureRefused, fetch_picture
from bot.services import services
from bot.texts import status_text, text
from stylebot import store
from stylebot.models import Status

log = logging.getLogger(__name__)

CONTENT, STYLE, STRENGTH = range(3)
EXPECTATION = {CONTENT: "expect_content", STYLE: "expect_style", STRENGTH: "expect_strength"}
PICTURES = filters.PHOTO | filters.Document.ALL

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, int]]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Greets the user and asks for the content photo."""
    assert update.effective_message is not None and update.effective_user is not None
    context.user_data.clear()  # type: ignore[union-attr]
    await update.effective_message.reply_text(text("start", name=update.effective_user.first_name))
    return CONTENT


async def _picture_or_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Picture | None:
    assert update.effective_message is not None
    try:
        return await fetch_picture(
            update.effective_message, max_pixels=services(context).settings.image_max_pixels
        )
    except PictureRefused as refused:
        await update.effective_message.reply_text(text(refused.text_key, **refused.values))
        return None


async def receive_content(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Stores the content photo and asks for the style picture."""
    assert update.effective_message is not None and context.user_data is not None
    picture = await _picture_or_reply(update, context)
    if picture is None:
        return CONTENT
    context.user_data.clear()
    context.user_data["content"] = picture
    await update.effective_message.reply_text(text("got_content"))
    return STYLE


async def receive_style(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Stores the style picture and offers the strengths."""
    assert update.effective_message is not None and context.user_data is not None
    picture = await _picture_or_reply(update, context)
    if picture is None:
        return STYLE
    context.user_data["style"] = picture
    await update.effective_message.reply_text(text("got_style"), reply_markup=strength_keyboard())
    return STRENGTH


async def choose_strength(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Queues the request and turns the keyboard into its status message."""
    query = update.callback_query
    assert query is not None and context.user_data is not None and update.effective_user is not None
    await query.answer()
    strength = parse_strength(query.data)
    content: Picture | None = context.user_data.get("content")
    style: Picture | None = context.user_data.get("style")
    if strength is None or content is None or style is None or query.message is None:
        await query.edit_message_text(text("expired_button"))
        return ConversationHandler.END
    user = update.effective_user
    limit = services(context).settings.max_queued_per_user
    async with services(context).sessions.begin() as session:
        if await store.count_queued(session=session, user_id=user.id) >= limit:
            await context.bot.send_message(query.message.chat.id, text("queue_full", limit=limit))
            return STRENGTH  # the pictures are kept: the same buttons work once a place is free
        await store.upsert_user(
            session=session,
            user_id=user.id,
            name=user.full_name,
            username=user.username,
            language_code=user.language_code,
        )
        request = await store.create_request(
            session=session,
            user_id=user.id,
            chat_id=query.message.chat.id,
            content_file_id=content.file_id,
            content_image=content.data,
            style_file_id=style.file_id,
            style_image=style.data,
            strength=strength,
            status_message_id=query.message.message_id,
        )
        position = await store.queue_position(session=session, request_id=request.id)
    context.user_data.clear()
    log.info("request %d queued by user %d (%s)", request.id, user.id, strength)
    await query.edit_message_text(
        status_text(strength=strength, status=Status.QUEUED, position=position),
        reply_markup=cancel_keyboard(request.id),
    )
    return ConversationHandler.END


def _remind(state: int) -> Callback:
    async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Says what the bot expects at this point of the conversation."""
        assert update.effective_message is not None
        await update.effective_message.reply_text(text(EXPECTATION[state]))
        return state

    return remind


def _already_started(state: int) -> Callback:
    async def already_started(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Answers a second /start with what the bot expects now."""
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            text("already_started", expectation=text(EXPECTATION[state]))
        )
        return state

    return already_started


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Ends the conversation and cancels the user's queued or running requests."""
    assert update.effective_message is not None and update.effective_user is not None
    if context.user_data is not None:
        context.user_data.clear()
    async with services(context).sessions.begin() as session:
        cancelled = await store.cancel_active(session=session, user_id=update.effective_user.id)
    for request in cancelled:
        if request.status_message_id is not None:
            await edit_text(
                context.bot,
                chat_id=request.chat_id,
                message_id=request.status_message_id,
                new_text=text("cancelled"),
            )
    if cancelled:
        ids = ", #".join(str(r.id) for r in cancelled)
        await update.effective_message.reply_text(text("cancelled_jobs", ids=ids))
    else:
        await update.effective_message.reply_text(text("cancelled"))
    return ConversationHandler.END


def _state_handlers(state: int, receive: Callback | None) -> list[BaseHandler[Update, Any, object]]:
    handlers: list[BaseHandler[Update, Any, object]] = []
    if receive is not None:
        handlers.append(MessageHandler(PICTURES, receive))
    else:
        handlers.append(CallbackQueryHandler(choose_strength, pattern=STRENGTH_PATTERN))
    handlers.append(CommandHandler("start", _already_started(state)))
    handlers.append(MessageHandler(~filters.COMMAND, _remind(state)))
    return handlers


def conversation_handler() -> ConversationHandler[Any]:
    with warnings.catch_warnings():
        # PTB warns that with per_message=False a button is tracked per chat, not per message:
        # that is what we want (one conversation per user, whose last keyboard is the live one).
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return _conversation_handler()


def _conversation_handler() -> ConversationHandler[Any]:
    return ConversationHandler(
        entry_points=[CommandHandler("start", start), MessageHandler(PICTURES, receive_content)],
        states={
            CONTENT: _state_handlers(CONTENT, receive_content),
            STYLE: _state_handlers(STYLE, receive_style),
            STRENGTH: _state_handlers(STRENGTH, None),
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="stylize",
    )
