"""Builds the bot's Application: handlers, and the background tasks that run beside them."""

from __future__ import annotations

import asyncio
import contextlib

from telegram import BotCommand
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import commands
from bot.conversation import cancel, conversation_handler
from bot.keyboards import CANCEL_PATTERN
from bot.notifier import Notifier
from bot.services import SERVICES_KEY, Services, services
from bot.workers import WorkerPool
from stylebot.database import async_session_factory, make_async_engine
from stylebot.settings import Settings

BOT_COMMANDS = [
    BotCommand("start", "Begin a new picture"),
    BotCommand("cancel", "Stop the current picture"),
    BotCommand("history", "Your last 10 requests"),
    BotCommand("help", "How it works"),
]
_TASKS_KEY = "background_tasks"
_POOL_KEY = "worker_pool"


async def start_background(app: Application) -> None:
    """Starts the notifier and the engine workers (post_init, and tests)."""
    found = services(app)
    await app.bot.set_my_commands(BOT_COMMANDS)
    notifier = Notifier(bot=app.bot, sessions=found.sessions)
    tasks = [asyncio.create_task(notifier.run(), name="notifier")]
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
    pool: WorkerPool | None = app.bot_data.pop(_POOL_KEY, None)
    if pool is not None:
        await pool.stop()
    await services(app).db.dispose()


def build_application(settings: Settings) -> Application:
    assert settings.telegram_bot_token is not None
    app = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .post_init(start_background)
        .post_shutdown(stop_background)
        .build()
    )
    db = make_async_engine(settings.database_url)
    app.bot_data[SERVICES_KEY] = Services(settings=settings, db=db, sessions=async_session_factory(db))

    app.add_handler(conversation_handler())
    app.add_handler(CommandHandler("help", commands.help_command))
    app.add_handler(CommandHandler("history", commands.history_command))
    app.add_handler(CommandHandler("cancel", cancel))
    app.add_handler(CallbackQueryHandler(commands.cancel_button, pattern=CANCEL_PATTERN))
    app.add_handler(CallbackQueryHandler(commands.expired_button))
    app.add_handler(MessageHandler(filters.ALL, commands.idle_message))
    app.add_error_handler(commands.error_handler)
    return app
