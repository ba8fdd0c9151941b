"""/forget: deletes everything the bot holds about the user, after a confirmation button."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.access.profiles import language
from bot.keyboards import forget_keyboard, parse_forget
from bot.services import services
from bot.texts.catalogue import text

log = logging.getLogger(__name__)


async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Says what will be deleted and asks for confirmation."""
    assert update.effective_message is not None
    lang = language(update, context)
    await update.effective_message.reply_text(text(lang, "forget_prompt"), reply_markup=forget_keyboard(lang))


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Deletes the user's data on "yes", the picture in the making included."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    lang = language(update, context)  # before the preferences go
    confirmed = parse_forget(query.data)
    await query.answer()
    if not confirmed:
        await query.edit_message_text(text(lang, "not_forgotten"))
        return
    requests = await services(context).erase_user(user.id)
    log.info("user %d: forgotten (%d requests deleted)", user.id, requests)
    await query.edit_message_text(text(lang, "forgotten"))
