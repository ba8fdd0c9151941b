"""Saying things back: to whatever update came in, and by editing a message the bot sent before; and
the timeouts of Telegram calls that carry pictures or come back later."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.error import BadRequest

log = logging.getLogger(__name__)

# An upload's write timeout is sized for a slow link, so that a large result is not cut off and sent
# again: python-telegram-bot's default of 20 s fits about 1 MB at this speed.
UPLOAD_BYTES_PER_SECOND = 50_000
MIN_WRITE_SECONDS = 20.0


async def answer(update: Update, bot: Bot, message: str) -> None:
    """Says `message` however the update came: as a popup to a button, or in its chat."""
    if update.callback_query is not None:
        await update.callback_query.answer(message, show_alert=True)
    elif update.effective_chat is not None:
        await bot.send_message(update.effective_chat.id, message)


async def edit_text(
    bot: Bot,
    *,
    chat_id: int,
    message_id: int,
    new_text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> bool:
    """Edits a message; "message is not modified" counts as success, a deleted message as failure.
    A photo's caption is edited instead (a status that shows the painting so far is a photo)."""
    try:
        await bot.edit_message_text(
            new_text, chat_id=chat_id, message_id=message_id, reply_markup=reply_markup
        )
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return True
        if "no text in the message" in exc.message.lower():
            return await edit_caption(
                bot, chat_id=chat_id, message_id=message_id, caption=new_text, reply_markup=reply_markup
            )
        log.info("could not edit message %d in chat %d: %s", message_id, chat_id, exc.message)
        return False
    return True


async def point_at(bot: Bot, *, chat_id: int, message_id: int, said: str) -> bool:
    """Answers with a reply to a message already in the chat (a repeated tap gets the picture it
    already got, not the same bytes again); False when that message is gone."""
    try:
        await bot.send_message(chat_id, said, reply_parameters=ReplyParameters(message_id))
    except BadRequest as exc:
        log.info("message %d in chat %d not there to point at: %s", message_id, chat_id, exc.message)
        return False
    return True


async def edit_caption(
    bot: Bot, *, chat_id: int, message_id: int, caption: str, reply_markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Edits a photo's caption, as edit_text does a text."""
    try:
        await bot.edit_message_caption(
            chat_id=chat_id, message_id=message_id, caption=caption, reply_markup=reply_markup
        )
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return True
        log.info("could not edit caption %d in chat %d: %s", message_id, chat_id, exc.message)
        return False
    return True


def upload_seconds(size: int) -> float:
    """The write timeout for an upload of `size` bytes."""
    return max(MIN_WRITE_SECONDS, size / UPLOAD_BYTES_PER_SECOND)


def retry_seconds(value: object) -> float:
    """RetryAfter.retry_after: an int of seconds, or a timedelta when PTB_TIMEDELTA is set."""
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
