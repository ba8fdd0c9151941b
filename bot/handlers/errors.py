"""The last resort: buttons nobody handles any more, and errors raised by a handler."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.context import BotContext
from bot.handling import handle_again, is_transient
from bot.replies import answer
from bot.texts.catalogue import text

log = logging.getLogger(__name__)


async def expired_button(update: Update, context: BotContext) -> None:
    """Answers a button whose conversation is over."""
    assert update.callback_query is not None
    await update.callback_query.answer(text(context.language, "expired_button"))


async def error_handler(update: object, context: BotContext) -> None:
    """Logs the error and tells the user: busy when the database is away, else our fault. When
    Telegram failed every try of a call, nothing is said (saying it would likely fail too): the
    update stays in the inbox and is handled again (bot.runtime.ordering)."""
    if is_transient(context.error) and handle_again():
        log.warning("Telegram failed while handling an update (%s): it is handled again", context.error)
        return
    busy = isinstance(context.error, SQLAlchemyError)
    if busy:
        log.warning("database error while handling an update: %s", type(context.error).__name__)
    else:
        log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await answer(update, context.bot, text(context.language, "busy" if busy else "internal_error"))
        except Exception:  # the error may be Telegram itself being unreachable
            log.warning("could not tell the user about the error", exc_info=True)
