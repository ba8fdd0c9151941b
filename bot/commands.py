"""Commands and answers outside the picture conversation: /help, /history, stray input, errors."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import ContextTypes

from bot.keyboards import parse_cancel
from bot.services import services
from bot.texts import strength_label, text
from bot.users import answer, lang
from stylebot import store

log = logging.getLogger(__name__)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explains what the bot does and lists the commands."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(text(lang(update, context), "help"))


def format_history(language: str, entries: list[store.HistoryEntry]) -> str:
    if not entries:
        return text(language, "history_empty")
    lines = [text(language, "history_title")]
    for entry in entries:
        seconds = f" · {entry.seconds:.1f} s" if entry.seconds is not None else ""
        lines.append(
            text(
                language,
                "history_line",
                id=entry.id,
                when=entry.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                strength=strength_label(language, entry.strength),
                status=text(language, f"status_{entry.status}"),
                seconds=seconds,
            )
        )
    return "\n".join(lines)


async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lists the user's last 10 requests."""
    assert update.effective_message is not None and update.effective_user is not None
    async with services(context).sessions() as session:
        entries = await store.recent_requests(session=session, user_id=update.effective_user.id)
    await update.effective_message.reply_text(format_history(lang(update, context), entries))


async def idle_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers input that arrives outside a conversation with what to do."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(text(lang(update, context), "idle"))


async def cancel_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Cancels the request named by the button, if it is the presser's and still active."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    language = lang(update, context)
    request_id = parse_cancel(query.data)
    if request_id is None:
        await query.answer(text(language, "expired_button"))
        return
    async with services(context).sessions.begin() as session:
        cancelled = await store.cancel_request(
            session=session, request_id=request_id, user_id=update.effective_user.id
        )
    if cancelled is None:
        await query.answer(text(language, "not_cancellable"), show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(text(language, "cancelled"))


async def expired_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers a button whose conversation is over."""
    query = update.callback_query
    assert query is not None
    await query.answer(text(lang(update, context), "expired_button"), show_alert=False)


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Logs the error and tells the user: busy when the database is away, else our fault."""
    busy = isinstance(context.error, SQLAlchemyError)
    if busy:
        log.warning("database error while handling an update: %s", type(context.error).__name__)
    else:
        log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await answer(update, context.bot, text(lang(update, context), "busy" if busy else "error"))
        except Exception:  # the error may be Telegram itself being unreachable
            log.warning("could not tell the user about the error", exc_info=True)
