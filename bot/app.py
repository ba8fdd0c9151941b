"""Builds the bot's Application: handlers, and the background tasks that run beside them."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.access.allowlist import allowed_users_only
from bot.access.groups import private_chats_only
from bot.access.profiles import Profiles, remember_user
from bot.handlers import admin, errors, forget, help, history, preferences, results
from bot.handlers.cancel import cancel, cancel_button
from bot.handlers.conversation import conversation_handler
from bot.keyboards import (
    AGAIN_PATTERN,
    CANCEL_PATTERN,
    FORGET_PATTERN,
    LANGUAGE_PATTERN,
    SETTING_PATTERN,
)
from bot.runtime.loopwatch import LoopWatch
from bot.runtime.notifier import Notifier
from bot.runtime.ordering import PerUserUpdateProcessor
from bot.runtime.persistence import DatabasePersistence
from bot.runtime.retention import run_retention
from bot.runtime.workers import WorkerPool
from bot.services import SERVICES_KEY, Services, services
from bot.texts.catalogue import CATALOGUES, DEFAULT_LANGUAGE, text
from stylebot.database import async_session_factory, make_async_engine
from stylebot.settings import Settings

COMMANDS = ("start", "cancel", "settings", "language", "history", "forget", "help")
# Telegram's flood limits: python-telegram-bot's limiter spaces the calls, and waits out a 429
# this many times before the caller sees it.
RATE_LIMIT_RETRIES = 3
_TASKS_KEY = "background_tasks"
_POOL_KEY = "worker_pool"
_WATCH_KEY = "loop_watch"
log = logging.getLogger(__name__)


def bot_commands(lang: str) -> list[BotCommand]:
    return [BotCommand(name, text(lang, f"cmd_{name}")) for name in COMMANDS]


async def start_background(app: Application) -> None:
    """Registers the commands, starts the notifier and the engine workers (post_init, and tests)."""
    # Everything made so far (modules, the Application) lives as long as the process: out of the
    # garbage collector's sight, its full collections stop pausing the event loop for 100+ ms.
    gc.freeze()
    found = services(app)
    await app.bot.set_my_commands(bot_commands(DEFAULT_LANGUAGE))
    for lang in CATALOGUES:
        await app.bot.set_my_commands(bot_commands(lang), language_code=lang)
    notifier = Notifier(bot=app.bot, sessions=found.sessions)
    watch = LoopWatch()
    app.bot_data[_WATCH_KEY] = watch
    tasks = [
        asyncio.create_task(watch.run(), name="loop-watch"),
        asyncio.create_task(notifier.run(), name="notifier"),
        asyncio.create_task(
            run_retention(found.sessions, days=found.settings.retention_days), name="retention"
        ),
    ]
    pool = WorkerPool(found.settings)
    await pool.start()
    tasks.append(asyncio.create_task(pool.watch(), name="worker-watch"))
    app.bot_data[_TASKS_KEY] = tasks
    app.bot_data[_POOL_KEY] = pool


async def stop_background(app: Application) -> None:
    """Stops the background tasks, the workers, and closes the database (post_shutdown, and tests)."""
    for task in app.bot_data.pop(_TASKS_KEY, []):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    watch: LoopWatch | None = app.bot_data.pop(_WATCH_KEY, None)
    if watch is not None:
        log.info("%s", watch.summary())
    pool: WorkerPool | None = app.bot_data.pop(_POOL_KEY, None)
    if pool is not None:
        await pool.stop()
    await services(app).db.dispose()


def build_application(settings: Settings) -> Application:
    assert settings.telegram_bot_token is not None
    db = make_async_engine(settings.database_url)
    sessions = async_session_factory(db)
    app = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .local_mode(settings.telegram_local_mode)
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(PerUserUpdateProcessor())
        .persistence(DatabasePersistence(sessions))
        .post_init(start_background)
        .post_shutdown(stop_background)
        .build()
    )
    app.bot_data[SERVICES_KEY] = Services(
        settings=settings, db=db, sessions=sessions, profiles=Profiles(sessions)
    )

    # Before every handler, in this order: groups, the allow-list, then the user is recorded.
    app.add_handler(TypeHandler(Update, private_chats_only), group=-3)
    app.add_handler(TypeHandler(Update, allowed_users_only), group=-2)
    app.add_handler(TypeHandler(Update, remember_user), group=-1)
    app.add_handler(conversation_handler(persistent=True))
    app.add_handler(CommandHandler("help", help.help_command))
    app.add_handler(CommandHandler("history", history.history_command))
    app.add_handler(CommandHandler("settings", preferences.settings_command))
    app.add_handler(CommandHandler("language", preferences.language_command))
    app.add_handler(CommandHandler("stats", admin.stats_command))
    app.add_handler(CommandHandler("forget", forget.forget_command))
    app.add_handler(CallbackQueryHandler(forget.forget_button, pattern=FORGET_PATTERN))
    app.add_handler(CommandHandler("cancel", cancel))
    app.add_handler(CallbackQueryHandler(cancel_button, pattern=CANCEL_PATTERN))
    app.add_handler(CallbackQueryHandler(results.again_button, pattern=AGAIN_PATTERN))
    app.add_handler(CallbackQueryHandler(preferences.setting_button, pattern=SETTING_PATTERN))
    app.add_handler(CallbackQueryHandler(preferences.language_button, pattern=LANGUAGE_PATTERN))
    app.add_handler(CallbackQueryHandler(errors.expired_button))
    app.add_handler(MessageHandler(filters.ALL, help.idle_message))
    app.add_error_handler(errors.error_handler)
    return app
