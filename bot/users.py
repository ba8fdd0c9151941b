"""Runs before every handler: keeps the bot to private chats, records the user, applies the
allow-list, and keeps the user's preferences.

It also answers "busy" when the database cannot be reached, so no handler below it has to.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.services import services
from bot.texts import language_for, text
from stylebot import store
from stylebot.settings import Settings

log = logging.getLogger(__name__)


async def private_chats_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keeps the bot out of groups: says once where it works (when added, or to a command), and
    ignores everything else there. Pictures in a group would be seen by everyone in it."""
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
        notice = text(lang(update, context), "private_only", username=context.bot.username)
        await answer(update, context.bot, notice)
    raise ApplicationHandlerStop


def is_allowed(settings: Settings, user_id: int) -> bool:
    """Everyone when the allow-list is empty; admins always."""
    return (
        not settings.allowed_user_ids or user_id in settings.allowed_user_ids or is_admin(settings, user_id)
    )


def is_admin(settings: Settings, user_id: int) -> bool:
    return user_id in settings.admin_user_ids


async def remember_user(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Records the user and their preferences; stops updates from users who are not allowed."""
    user = update.effective_user
    if user is None:
        return
    found = services(context)
    if not is_allowed(found.settings, user.id):
        log.info("user %d is not on the allow-list", user.id)
        await answer(
            update, context.bot, text(language_for(None, user.language_code), "not_allowed", user_id=user.id)
        )
        raise ApplicationHandlerStop
    if found.recently_seen(user.id, user.language_code):
        return  # recorded a moment ago: spare the database a write per update
    try:
        async with found.sessions.begin() as session:
            row = await store.upsert_user(
                session=session,
                user_id=user.id,
                name=user.full_name,
                username=user.username,
                language_code=user.language_code,
            )
            found.remember(user.id, store.Profile.of(row))
    except SQLAlchemyError:
        log.warning("database unavailable; telling user %d to try again", user.id, exc_info=True)
        await answer(update, context.bot, text(lang(update, context), "busy"))
        raise ApplicationHandlerStop from None


async def answer(update: Update, bot: Bot, message: str) -> None:
    """Says `message` however the update came: as a popup to a button, or in its chat."""
    if update.callback_query is not None:
        await update.callback_query.answer(message, show_alert=True)
    elif update.effective_chat is not None:
        await bot.send_message(update.effective_chat.id, message)


def profile(update: Update, context: ContextTypes.DEFAULT_TYPE) -> store.Profile:
    user = update.effective_user
    if user is None:
        return store.Profile()
    found = services(context).profiles.get(user.id)
    return found or store.Profile(telegram_language=user.language_code)


def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The language to answer this update in."""
    found = profile(update, context)
    return language_for(found.language, found.telegram_language)
