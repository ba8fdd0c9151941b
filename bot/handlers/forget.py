"""/forget: deletes everything the bot holds about the user, after a confirmation button."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import BotContext
from bot.keyboards import forget_keyboard, parse_forget
from bot.presses import Press, button
from bot.texts.catalogue import text
from stylebot import privacy

log = logging.getLogger(__name__)


async def forget_command(update: Update, context: BotContext) -> None:
    """Says what will be deleted and asks for confirmation."""
    assert update.effective_message is not None
    lang = context.language
    await update.effective_message.reply_text(text(lang, "forget_prompt"), reply_markup=forget_keyboard(lang))


@button(parse_forget)
async def forget_button(update: Update, context: BotContext, press: Press[bool]) -> None:
    """Deletes the user's data on "yes", the picture in the making included."""
    lang = context.language  # before the preferences go
    if not press.data:
        await press.query.edit_message_text(text(lang, "not_forgotten"))
        return
    async with context.services.sessions() as session:
        painting = await privacy.painting_statuses(session=session, user_id=press.user_id)
    requests = await context.services.erase_user(press.user_id)
    log.info("user %d: forgotten (%d requests deleted)", press.user_id, requests)
    for chat_id, message_id in painting:  # no Cancel left under a painting that is gone
        await context.bot.edit_message_text(
            text(lang, "painting_forgotten"), chat_id=chat_id, message_id=message_id, reply_markup=None
        )
    await press.query.edit_message_text(text(lang, "forgotten"))
