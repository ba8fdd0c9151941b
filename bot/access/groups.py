"""Keeps the bot to private chats: pictures in a group would be seen by everyone in it."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.replies import answer
from bot.texts.catalogue import text


async def private_chats_only(update: Update, context: BotContext) -> None:
    """Says once where the bot works (when added to a group, or to a command there), and ignores
    everything else in groups."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    joined = update.my_chat_member is not None and update.my_chat_member.new_chat_member.status in (
        ChatMemberStatus.MEMBER,
        ChatMemberStatus.ADMINISTRATOR,
    )
    message = update.message
    command = message is not None and (message.text or "").startswith("/")
    if joined or command or update.callback_query is not None:
        notice = text(context.language, "private_only", username=context.bot.username)
        await answer(update, context.bot, notice)
    raise ApplicationHandlerStop
