"""The bot's endpoints for a process supervisor and for Prometheus, on aiohttp:

- GET /healthz (liveness): 200 while the event loop turns; 503 when the loop watch has been silent
  for SILENCE_LIMIT seconds (the loop was just blocked that long, or the watch died). A loop that
  is blocked right now cannot answer at all: the supervisor's probe timeout covers that case.
- GET /readyz (readiness): 200 when the bot has started, receives updates (polling or webhook), is
  not stopping, and the database answered `SELECT 1` within DB_TIMEOUT; else 503 and the reason.
- GET /metrics: the Prometheus text format of BotMetrics' registry, with the database's figures
  read at that moment (bot/runtime/dbgauges.py).

`add_health_routes` puts them on any aiohttp Application (e.g. the webhook's); `start_health_server`
serves them on an Application of their own.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import generate_latest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.metrics import BotMetrics
from bot.runtime.dbgauges import SCRAPE_TIMEOUT, DatabaseGauges
from bot.runtime.loopwatch import LoopWatch
from stylebot.monitoring import PROMETHEUS_TEXT

SILENCE_LIMIT = 10.0
DB_TIMEOUT = 2.0


@dataclass
class ServiceState:
    """What the bot is doing, set by its start-up and shutdown; /readyz reports it."""

    started: bool = False  # start-up is over (the workers started, recorded updates replayed)
    receiving: bool = False  # the polling loop runs, or the webhook server takes updates
    stopping: bool = False  # told to stop: finishing what it holds, taking nothing new

    def not_ready(self) -> str | None:
        if self.stopping:
            return "stopping"
        if not self.started:
            return "starting"
        if not self.receiving:
            return "not receiving updates"
        return None


@dataclass
class _Health:
    state: ServiceState
    metrics: BotMetrics
    gauges: DatabaseGauges
    sessions: async_sessionmaker[AsyncSession]
    watch: LoopWatch | None
    silence_limit: float
    db_timeout: float


_HEALTH = web.AppKey("stylebot_health", _Health)


def add_health_routes(
    app: web.Application,
    *,
    state: ServiceState,
    metrics: BotMetrics,
    sessions: async_sessionmaker[AsyncSession],
    watch: LoopWatch | None = None,
    silence_limit: float = SILENCE_LIMIT,
    db_timeout: float = DB_TIMEOUT,
    scrape_timeout: float = SCRAPE_TIMEOUT,
) -> None:
    """Adds GET /healthz, /readyz and /metrics to `app` (before it starts). The database's gauges
    join `metrics.registry` until the app is cleaned up."""
    gauges = DatabaseGauges(sessions, metrics, timeout=scrape_timeout)
    metrics.registry.register(gauges)
    app[_HEALTH] = _Health(state, metrics, gauges, sessions, watch, silence_limit, db_timeout)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_get("/metrics", _metrics)
    app.on_cleanup.append(_close_gauges)


async def start_health_server(
    *,
    host: str,
    port: int,
    state: ServiceState,
    metrics: BotMetrics,
    sessions: async_sessionmaker[AsyncSession],
    watch: LoopWatch | None = None,
) -> web.AppRunner:
    """Serves the three endpoints on host:port (port 0: any free one, see `bound_port`).
    Raises OSError when the address cannot be taken (a port in use)."""
    app = web.Application()
    add_health_routes(app, state=state, metrics=metrics, sessions=sessions, watch=watch)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError:
        await runner.cleanup()
        raise
    return runner


async def stop_health_server(runner: web.AppRunner) -> None:
    await runner.cleanup()


def bound_port(runner: web.AppRunner) -> int:
    """The port the server listens on (the one chosen when asked for port 0)."""
    return int(runner.addresses[0][1])


async def _healthz(request: web.Request) -> web.Response:
    health = request.app[_HEALTH]
    if health.watch is not None and (silent := health.watch.silent_for()) > health.silence_limit:
        return web.Response(status=503, text=f"event loop silent for {silent:.0f} s\n")
    return web.Response(text="ok\n")


async def _readyz(request: web.Request) -> web.Response:
    health = request.app[_HEALTH]
    reason = health.state.not_ready() or await _database_fault(health)
    if reason is not None:
        return web.Response(status=503, text=f"not ready: {reason}\n")
    return web.Response(text="ready\n")


async def _database_fault(health: _Health) -> str | None:
    try:
        async with asyncio.timeout(health.db_timeout), health.sessions() as session:
            await session.execute(select(1))
    except TimeoutError:
        return f"database: no answer within {health.db_timeout:g} s"
    except Exception as exc:  # any failure to answer is the reason, whatever raised it
        return f"database: {type(exc).__name__}"
    return None


async def _metrics(request: web.Request) -> web.Response:
    health = request.app[_HEALTH]
    await health.gauges.refresh()
    body = generate_latest(health.metrics.registry)
    return web.Response(body=body, headers={"Content-Type": PROMETHEUS_TEXT})


async def _close_gauges(app: web.Application) -> None:
    health = app[_HEALTH]
    await health.gauges.close()
    health.metrics.registry.unregister(health.gauges)
