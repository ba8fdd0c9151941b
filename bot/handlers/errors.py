"""The last resort: buttons nobody handles any more, and errors raised by a handler."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import ContextTypes

from bot.access.profiles import language
from bot.replies import answer
from bot.texts.catalogue import text

log = logging.getLogger(__name__)


async def expired_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers a button whose conversation is over."""
    query = update.callback_query
    assert query is not None
    await query.answer(text(language(update, context), "expired_button"))


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Logs the error and tells the user: busy when the database is away, else our fault."""
    busy = isinstance(context.error, SQLAlchemyError)
    if busy:
        log.warning("database error while handling an update: %s", type(context.error).__name__)
    else:
        log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await answer(
                update, context.bot, text(language(update, context), "busy" if busy else "internal_error")
            )
        except Exception:  # the error may be Telegram itself being unreachable
            log.warning("could not tell the user about the error", exc_info=True)
