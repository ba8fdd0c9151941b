"""ALLOWED_USER_IDS: a private bot answers strangers with their id and records nothing about them."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.replies import answer
from bot.texts.catalogue import language_for, text
from stylebot.settings import Settings

log = logging.getLogger(__name__)


def is_allowed(settings: Settings, user_id: int) -> bool:
    """Everyone when the allow-list is empty; admins always."""
    return (
        not settings.allowed_user_ids or user_id in settings.allowed_user_ids or is_admin(settings, user_id)
    )


def is_admin(settings: Settings, user_id: int) -> bool:
    return user_id in settings.admin_user_ids


async def allowed_users_only(update: Update, context: BotContext) -> None:
    """Stops updates from users who are not on the allow-list, before anything is recorded."""
    user = update.effective_user
    if user is None or is_allowed(context.services.settings, user.id):
        return
    log.info("user %d is not on the allow-list", user.id)
    message = text(language_for(None, user.language_code), "not_allowed", user_id=user.id)
    await answer(update, context.bot, message)
    raise ApplicationHandlerStop
