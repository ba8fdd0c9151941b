"""Starts worker processes from the bot without importing torch into the bot's process."""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.process import BaseProcess

from stylebot.settings import Settings

# Workers started by the bot share its machine: they yield the CPU to the bot, whose replies to
# users must not wait behind the engine (bench/load.py measures it).
WORKER_NICENESS = 10


def _worker_main(settings: Settings, index: int) -> None:
    os.nice(WORKER_NICENESS)
    from engine.health import health_port
    from engine.worker import run_worker  # torch is imported here, in the child only
    from stylebot.logs import configure_logging

    configure_logging(settings.log_level)
    run_worker(settings, health_port=health_port(settings.worker_health_port, index))


def spawn_worker(settings: Settings, index: int) -> BaseProcess:
    """A fresh interpreter (spawn, not fork): CUDA cannot be re-initialised in a forked child."""
    process = multiprocessing.get_context("spawn").Process(
        # The worker never talks to Telegram: it does not get the token.
        target=_worker_main,
        args=(settings.model_copy(update={"telegram_bot_token": None}), index),
        name=f"engine-worker-{index}",
        daemon=False,
    )
    process.start()
    return process
