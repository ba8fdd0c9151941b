"""/help, and the answer to anything sent outside a conversation."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.texts.catalogue import text


async def help_command(update: Update, context: BotContext) -> None:
    """Explains what the bot does and lists the commands."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(text(context.language, "help"))


async def idle_message(update: Update, context: BotContext) -> None:
    """Answers input that arrives outside a conversation with what to do."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(text(context.language, "idle"))
