"""/help, and the answer to anything sent outside a conversation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.access.profiles import language
from bot.texts.catalogue import text


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explains what the bot does and lists the commands."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(text(language(update, context), "help"))


async def idle_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers input that arrives outside a conversation with what to do."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(text(language(update, context), "idle"))
