"""Starts worker processes from the bot without importing torch into the bot's process.

A worker the bot started lives and dies with it: named after its host and place in the bot's pool
(so that a restarted bot knows its own workers' jobs), it hands its job back and exits as soon as
the bot is gone, even when the bot was killed without a chance to stop it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
from multiprocessing.process import BaseProcess

from stylebot.settings import Settings

PARENT_CHECK_SECONDS = 0.5


def pool_worker_prefix() -> str:
    """What the names of the workers a bot starts on this host begin with."""
    return f"{socket.gethostname()}:bot-worker-"


def pool_worker_name(index: int) -> str:
    return f"{pool_worker_prefix()}{index}"


def _stop_when_orphaned(parent_pid: int) -> None:
    """SIGTERM to this process once the bot that started it is gone (it is then re-parented): the
    worker's own handler hands its job back to the queue."""
    while os.getppid() == parent_pid:
        threading.Event().wait(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)


def _worker_main(settings: Settings, index: int, parent_pid: int) -> None:
    # Workers started by the bot share its machine: they yield the CPU to the bot, whose replies to
    # users must not wait behind the engine (bench/load.py measures it).
    os.nice(settings.engine_worker_niceness)
    threading.Thread(target=_stop_when_orphaned, args=(parent_pid,), name="parent-watch", daemon=True).start()
    from engine.health import health_port
    from engine.process import run_worker  # torch is imported here, in the child only
    from stylebot.logs import configure_logging

    configure_logging(settings.log_level)
    run_worker(
        settings,
        name=pool_worker_name(index),
        health_port=health_port(settings.worker_health_port, index),
        machine_loops=settings.engine_workers,  # the bot's workers share its machine's CPUs
    )


def spawn_worker(settings: Settings, index: int) -> BaseProcess:
    """A fresh interpreter (spawn, not fork): CUDA cannot be re-initialised in a forked child."""
    process = multiprocessing.get_context("spawn").Process(
        # The worker never talks to Telegram: it does not get the token.
        target=_worker_main,
        args=(settings.model_copy(update={"telegram_bot_token": None}), index, os.getpid()),
        name=f"engine-worker-{index}",
        daemon=False,
    )
    process.start()
    return process
