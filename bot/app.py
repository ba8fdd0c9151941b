"""Builds the bot's Application: the services every handler uses, and every handler, registered here."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    MessageReactionHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.access.allowlist import allowed_users_only
from bot.access.groups import private_chats_only
from bot.access.profiles import Profiles
from bot.access.recording import remember_user
from bot.context import BotContext
from bot.drafts import Drafts
from bot.handlers import admin, errors, forget, help, history, preferences, results, sharing
from bot.handlers.cancel import cancel, cancel_button
from bot.handlers.conversation import conversation_handlers
from bot.keyboards import (
    AGAIN_PATTERN,
    CANCEL_PATTERN,
    FILE_PATTERN,
    FORGET_PATTERN,
    HISTORY_PATTERN,
    LANGUAGE_PATTERN,
    PICK_PATTERN,
    SETTING_PATTERN,
)
from bot.metrics import BotMetrics
from bot.runtime.ordering import UpdateProcessor
from bot.runtime.outbox import RememberingRequest
from bot.runtime.receiving import POLL_SECONDS
from bot.services import Services
from stylebot.database import async_session_factory, make_async_engine
from stylebot.settings import Settings

# Telegram's flood limits: python-telegram-bot's limiter spaces the calls, and waits out a 429
# this many times before the caller sees it.
RATE_LIMIT_RETRIES = 3
CONNECTIONS = 256  # handlers, deliveries and status edits share them
# How long a call waits for Telegram's answer before it counts as timed out (and is tried again,
# bot.runtime.transient): python-telegram-bot's default. Tests that stall Telegram shorten it.
TELEGRAM_READ_SECONDS = 5.0

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]


def build_application(settings: Settings) -> BotApplication:
    """The Application, with no Updater: bot.runtime.service receives the updates itself."""
    assert settings.telegram_bot_token is not None
    db = make_async_engine(settings.database_url)
    sessions = async_session_factory(db)
    metrics = BotMetrics()
    processor = UpdateProcessor(sessions)
    app = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .local_mode(settings.telegram_local_mode)
        .request(
            RememberingRequest(
                sessions, metrics, connection_pool_size=CONNECTIONS, read_timeout=TELEGRAM_READ_SECONDS
            )
        )
        .get_updates_request(HTTPXRequest(read_timeout=POLL_SECONDS + 10))
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(processor)
        .context_types(ContextTypes(context=BotContext))
        .updater(None)
        .build()
    )
    processor.handle_again_with(app.process_update)
    Services(
        settings=settings,
        db=db,
        sessions=sessions,
        profiles=Profiles(sessions),
        drafts=Drafts(sessions),
        metrics=metrics,
    ).install(app)
    # Before every handler, in this order: groups, the allow-list, then the user is recorded.
    app.add_handler(TypeHandler(Update, private_chats_only), group=-3)
    app.add_handler(TypeHandler(Update, allowed_users_only), group=-2)
    app.add_handler(TypeHandler(Update, remember_user), group=-1)
    app.add_handler(CommandHandler("help", help.help_command))
    app.add_handler(CommandHandler("history", history.history_command))
    app.add_handler(CommandHandler("settings", preferences.settings_command))
    app.add_handler(CommandHandler("language", preferences.language_command))
    app.add_handler(CommandHandler("stats", admin.stats_command))
    app.add_handler(CommandHandler("forget", forget.forget_command))
    app.add_handler(CommandHandler("cancel", cancel))
    app.add_handler(CallbackQueryHandler(forget.forget_button, pattern=FORGET_PATTERN))
    app.add_handler(CallbackQueryHandler(cancel_button, pattern=CANCEL_PATTERN))
    app.add_handler(CallbackQueryHandler(results.again_button, pattern=AGAIN_PATTERN))
    app.add_handler(CallbackQueryHandler(results.file_button, pattern=FILE_PATTERN))
    app.add_handler(CallbackQueryHandler(results.pick_button, pattern=PICK_PATTERN))
    app.add_handler(CallbackQueryHandler(results.history_button, pattern=HISTORY_PATTERN))
    app.add_handler(InlineQueryHandler(sharing.inline_query))
    app.add_handler(MessageReactionHandler(sharing.reaction))
    app.add_handler(CallbackQueryHandler(preferences.setting_button, pattern=SETTING_PATTERN))
    app.add_handler(CallbackQueryHandler(preferences.language_button, pattern=LANGUAGE_PATTERN))
    for handler in conversation_handlers():
        app.add_handler(handler)
    app.add_handler(CallbackQueryHandler(errors.expired_button))
    app.add_handler(MessageHandler(filters.ALL, help.idle_message))
    app.add_error_handler(errors.error_handler)
    return app
