"""Records the user (name, Telegram's language) before any handler runs (bot.access.profiles)."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.replies import answer
from bot.texts.catalogue import text

log = logging.getLogger(__name__)


async def remember_user(update: Update, context: BotContext) -> None:
    """Records the user before any handler; says "busy" and stops when the database is away."""
    user = update.effective_user
    if user is None:
        return
    try:
        await context.services.profiles.record(user)
    except SQLAlchemyError:
        log.warning("database unavailable; telling user %d to try again", user.id, exc_info=True)
        await answer(update, context.bot, text(context.language, "busy"))
        raise ApplicationHandlerStop from None
