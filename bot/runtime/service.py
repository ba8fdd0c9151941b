"""The bot's life: start (background tasks, engine workers, the updates a crash left), receive
updates until told to stop, then stop without losing anything.

On SIGTERM or SIGINT the bot stops taking updates, lets the handlers in flight finish (what is left
after STOP_GRACE_SECONDS stays in the inbox for the next start), lets deliveries under way finish,
and stops its engine workers, which hand their running jobs back to the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram.ext import Application

from bot.runtime.health import ServiceState, start_health_server, stop_health_server
from bot.runtime.loopwatch import LoopWatch
from bot.runtime.notifier import Notifier
from bot.runtime.ordering import UpdateProcessor
from bot.runtime.receiving import ALLOWED_UPDATES, Receiver
from bot.runtime.registration import keep_registered
from bot.runtime.retention import run_retention
from bot.runtime.workers import WorkerPool
from bot.services import Services
from stylebot.wakeups import EVENTS, AsyncListener

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 20.0


class BotService:
    def __init__(
        self, app: Application[Any, Any, Any, Any, Any, Any], *, webhook_secret: str | None = None
    ) -> None:
        self.app = app
        self.services = Services.of(app)
        self.settings = self.services.settings
        processor = app.update_processor
        assert isinstance(processor, UpdateProcessor)
        self.processor = processor
        self.metrics = self.services.metrics
        self.state = ServiceState()
        sessions = self.services.sessions
        self.receiver = Receiver(
            app.bot, sessions, processor, app.update_queue.put, on_received=self.metrics.updates_taken
        )
        self.notifier = Notifier(
            app.bot,
            sessions,
            self.metrics,
            shown=self.services.statuses_shown,
            wake=AsyncListener(self.settings.database_url, EVENTS, enabled=self.settings.queue_wakeups),
            poll_seconds=self.settings.queue_poll_seconds,
        )
        self.watch = LoopWatch(observe=self.metrics.observe_loop_lag)
        self.pool = WorkerPool(self.settings, sessions)
        self._webhook_secret = webhook_secret
        self._stop_receiving = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.registration: asyncio.Task[None] | None = None
        self._webhook: web.AppRunner | None = None
        self._health: web.AppRunner | None = None

    async def start(self) -> None:
        app = self.app
        await app.initialize()
        await self._start_health()
        # Everything made so far lives as long as the process: out of the garbage collector's
        # sight, its full collections stop pausing the event loop for a long moment.
        gc.freeze()
        # What the screen before /start says, in each language: in the background, never fatal.
        self.registration = asyncio.create_task(keep_registered(self.settings), name="registration")
        await self.pool.start()
        self._tasks = [
            self.registration,
            asyncio.create_task(self.watch.run(), name="loop-watch"),
            asyncio.create_task(self.notifier.run(), name="notifier"),
            asyncio.create_task(
                run_retention(self.services.sessions, days=self.settings.retention_days), name="retention"
            ),
            asyncio.create_task(self.pool.watch(), name="worker-watch"),
        ]
        await app.start()
        self.metrics.replayed(await self.receiver.replay())
        if self.settings.telegram_webhook_url is None:
            await app.bot.delete_webhook()
            self._tasks.append(asyncio.create_task(self.receiver.poll(self._stop_receiving), name="polling"))
            log.info("receiving updates by polling, %d engine worker(s)", self.settings.engine_workers)
        else:
            await self._start_webhook()
        self.state.started = self.state.receiving = True

    async def _start_health(self) -> None:
        """/healthz, /readyz and /metrics on METRICS_LISTEN:METRICS_PORT, from the start of start-up."""
        if not self.settings.metrics_port:
            return
        try:
            self._health = await start_health_server(
                host=self.settings.metrics_listen,
                port=self.settings.metrics_port,
                state=self.state,
                metrics=self.metrics,
                sessions=self.services.sessions,
                watch=self.watch,
            )
        except OSError as exc:  # a port in use: the bot works without its endpoints
            log.warning(
                "health and metrics endpoints not served on port %d: %s", self.settings.metrics_port, exc
            )

    async def _start_webhook(self) -> None:
        url = self.settings.telegram_webhook_url
        assert url is not None and self._webhook_secret is not None
        web_app = web.Application()
        web_app.router.add_post(
            urlsplit(url).path or "/", self.receiver.webhook_handler(self._webhook_secret)
        )
        self._webhook = web.AppRunner(web_app, access_log=None)
        await self._webhook.setup()
        site = web.TCPSite(
            self._webhook, self.settings.telegram_webhook_listen, self.settings.telegram_webhook_port
        )
        await site.start()
        await self.app.bot.set_webhook(
            url, secret_token=self._webhook_secret, allowed_updates=ALLOWED_UPDATES
        )
        log.info(
            "receiving updates by webhook on %s:%d, %d engine worker(s)",
            self.settings.telegram_webhook_listen,
            self.settings.telegram_webhook_port,
            self.settings.engine_workers,
        )

    async def stop(self) -> None:
        """Stops taking updates, finishes what is in hand, hands running jobs back, shuts down."""
        self.state.stopping = True
        self.receiver.accepting = False
        self._stop_receiving.set()
        try:
            await asyncio.wait_for(self._handled_all(), STOP_GRACE_SECONDS)
        except TimeoutError:
            log.warning(
                "stopping with %d update(s) unfinished: they are replayed at the next start",
                self.processor.in_flight,
            )
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.notifier.lanes.drain()
        if self._webhook is not None:
            await self._webhook.cleanup()
        await self.app.stop()
        log.info("%s", self.watch.summary())
        await self.pool.stop()
        await self.app.shutdown()
        if self._health is not None:
            await stop_health_server(self._health)
        await self.services.db.dispose()

    async def _handled_all(self) -> None:
        """Returns once every update taken has been handled (the queue drained, none in flight)."""
        while not self.app.update_queue.empty() or self.processor.in_flight:
            await asyncio.sleep(0.05)


async def serve(app: Application[Any, Any, Any, Any, Any, Any], *, webhook_secret: str | None = None) -> None:
    """Runs the bot until SIGTERM or SIGINT."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    service = BotService(app, webhook_secret=webhook_secret)
    await service.start()
    await stopping.wait()
    log.info("stopping: finishing the updates in hand")
    await service.stop()
