"""The bot's /metrics, /healthz and /readyz over real HTTP on loopback, on a real database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from telegram import Bot
from telegram.error import TelegramError

from bot.metrics import BotMetrics, TelegramErrorKind
from bot.runtime import dbgauges
from bot.runtime.health import (
    ServiceState,
    add_health_routes,
    bound_port,
    start_health_server,
    stop_health_server,
)
from bot.runtime.loopwatch import LoopWatch
from stylebot.database import async_session_factory, make_async_engine, make_engine, session_factory
from stylebot.models import Request, Status, User, Worker, utcnow
from stylebot.monitoring import PROMETHEUS_TEXT
from testkit.botapi import TOKEN, BotApiStandIn
from testkit.tcpproxy import TcpProxy
from testkit.waiting import wait_until_async

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@dataclass
class Served:
    port: int
    metrics: BotMetrics
    state: ServiceState


@contextlib.asynccontextmanager
async def serving(database_url: str, state: ServiceState | None = None) -> AsyncIterator[Served]:
    """The bot's health server on a free loopback port, on its own async engine."""
    db = make_async_engine(database_url)
    metrics = BotMetrics()
    state = state or ServiceState(started=True, receiving=True)
    runner = await start_health_server(
        host="127.0.0.1", port=0, state=state, metrics=metrics, sessions=async_session_factory(db)
    )
    try:
        yield Served(bound_port(runner), metrics, state)
    finally:
        await stop_health_server(runner)
        await db.dispose()


async def get(port: int, path: str) -> tuple[int, str, str]:
    timeout = aiohttp.ClientTimeout(total=20)  # a scrape that hangs fails the test here
    async with (
        aiohttp.ClientSession(timeout=timeout) as http,
        http.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text(), response.headers["Content-Type"]


async def scrape(port: int) -> Samples:
    status, body, content_type = await get(port, "/metrics")
    assert status == 200 and content_type == PROMETHEUS_TEXT
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def add_request(
    engine: Engine,
    status: Status,
    *,
    created: datetime,
    started: datetime | None = None,
    finished: datetime | None = None,
) -> None:
    with session_factory(engine).begin() as session:
        if session.get(User, 1) is None:
            session.add(User(id=1, name="Ada"))
        session.add(
            Request(
                user_id=1,
                chat_id=1,
                content_file_id="c",
                style_file_id="s",
                strength="medium",
                status=status,
                created_at=created,
                started_at=started,
                finished_at=finished,
            )
        )


async def test_metrics_show_the_queue_requests_by_status_and_jobs(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbgauges, "FRESH_SECONDS", 0.0)  # every scrape reads the database again
    engine = make_engine(database_url)
    now = utcnow()
    hour_ago = now - timedelta(hours=1)
    add_request(engine, Status.QUEUED, created=now - timedelta(seconds=120))
    for _ in range(2):
        add_request(engine, Status.QUEUED, created=now)
    add_request(engine, Status.RUNNING, created=now, started=now)
    for status in (Status.DONE, Status.DONE, Status.FAILED, Status.CANCELLED):
        add_request(engine, status, created=hour_ago, started=hour_ago, finished=hour_ago)
    with session_factory(engine).begin() as session:
        session.add(Worker(name="gpu-1", device="cuda:0", started_at=hour_ago, seen_at=now))
        session.add(
            Worker(name="gone", device="cpu", started_at=hour_ago, seen_at=now - timedelta(minutes=5))
        )

    async with serving(database_url) as served:
        # A job that finishes while the bot runs: 6 s in the queue, then 4 s of work.
        end = utcnow()
        started = end - timedelta(seconds=4)
        add_request(
            engine, Status.DONE, created=started - timedelta(seconds=6), started=started, finished=end
        )
        samples: Samples = {}

        async def counted() -> bool:  # the count of finished requests may take a scrape or two
            samples.update(await scrape(served.port))
            return value(samples, "stylebot_requests", status="done") is not None

        await wait_until_async(counted, "finished requests never counted")
        assert value(samples, "stylebot_database_up") == 1
        assert value(samples, "stylebot_queue_depth") == 3
        by_status = {s: value(samples, "stylebot_requests", status=s) for s in Status}
        assert by_status == {"queued": 3, "running": 1, "done": 3, "failed": 1, "cancelled": 1}
        assert value(samples, "stylebot_workers_alive") == 1
        assert (value(samples, "stylebot_oldest_queued_seconds") or 0) >= 120
        assert value(samples, "stylebot_job_seconds_count", status="done") == 1
        assert value(samples, "stylebot_job_seconds_sum", status="done") == pytest.approx(4.0)
        assert value(samples, "stylebot_queue_wait_seconds_count") == 1
        assert value(samples, "stylebot_queue_wait_seconds_sum") == pytest.approx(6.0)

        # One more finishes: the next scrapes observe it once, and count it among the done.
        end = utcnow()
        add_request(engine, Status.DONE, created=end, started=end, finished=end)
        for _ in range(2):
            samples = await scrape(served.port)
            assert value(samples, "stylebot_job_seconds_count", status="done") == 2
            assert value(samples, "stylebot_requests", status="done") == 4
    engine.dispose()


def through(proxy: TcpProxy, url: str) -> str:
    return make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


@contextlib.contextmanager
def proxy_to(url: str) -> Iterator[TcpProxy]:
    parsed = make_url(url)
    proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432).start()
    try:
        yield proxy
    finally:
        proxy.stop()


async def test_an_unreachable_database_makes_the_bot_unready_and_says_so_in_metrics(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbgauges, "FRESH_SECONDS", 0.0)
    with proxy_to(postgres_url) as proxy:
        async with serving(through(proxy, postgres_url)) as served:
            assert (await get(served.port, "/readyz"))[:2] == (200, "ready\n")
            assert value(await scrape(served.port), "stylebot_database_up") == 1

            proxy.cut()

            async def unready() -> bool:
                status, body, _ = await get(served.port, "/readyz")
                return status == 503 and "database" in body

            await wait_until_async(unready, "/readyz stayed ready with the database cut off")
            samples = await scrape(served.port)
            assert value(samples, "stylebot_database_up") == 0
            assert value(samples, "stylebot_queue_depth") is None  # no stale figures
            assert (await get(served.port, "/healthz"))[0] == 200  # alive all the same

            proxy.restore()

            async def ready() -> bool:
                return (await get(served.port, "/readyz"))[0] == 200

            await wait_until_async(ready, "/readyz never came back")
            await wait_until_async(
                lambda: _database_up(served.port), "stylebot_database_up never came back to 1", timeout=10
            )


async def _database_up(port: int) -> bool:
    return value(await scrape(port), "stylebot_database_up") == 1


async def test_a_scrape_stuck_behind_a_lock_gives_up_and_reports_it(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbgauges, "FRESH_SECONDS", 0.0)
    engine = make_engine(postgres_url)
    async with serving(postgres_url) as served:
        assert value(await scrape(served.port), "stylebot_database_up") == 1
        with engine.connect() as holder:
            # Held until the rollback. Taken off the event loop, which may still be finishing a read.
            await asyncio.to_thread(holder.execute, text("LOCK TABLE requests IN ACCESS EXCLUSIVE MODE"))
            samples = await scrape(served.port)
            assert value(samples, "stylebot_database_up") == 0
            assert 1.0 < (value(samples, "stylebot_database_read_seconds") or 0) < 5.0
            # The database itself answers: the bot stays ready.
            assert (await get(served.port, "/readyz"))[0] == 200
            holder.rollback()
        assert value(await scrape(served.port), "stylebot_database_up") == 1
    engine.dispose()


async def test_readiness_follows_the_bots_state_and_liveness_its_event_loop(sqlite_url: str) -> None:
    db = make_async_engine(sqlite_url)
    metrics = BotMetrics()
    state = ServiceState()
    watch = LoopWatch(observe=metrics.observe_loop_lag)
    watching = asyncio.create_task(watch.run())
    # The health routes share an Application with another route, as they would the webhook's.
    app = web.Application()
    app.router.add_post("/hook", _hook)
    add_health_routes(
        app, state=state, metrics=metrics, sessions=async_session_factory(db), watch=watch, silence_limit=0.5
    )
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = bound_port(runner)
    try:
        assert (await get(port, "/readyz"))[:2] == (503, "not ready: starting\n")
        state.started = True
        assert (await get(port, "/readyz"))[:2] == (503, "not ready: not receiving updates\n")
        state.receiving = True
        assert (await get(port, "/readyz"))[:2] == (200, "ready\n")
        state.stopping = True
        assert (await get(port, "/readyz"))[:2] == (503, "not ready: stopping\n")
        async with aiohttp.ClientSession() as http, http.post(f"http://127.0.0.1:{port}/hook") as hook:
            assert hook.status == 200

        assert (await get(port, "/healthz"))[:2] == (200, "ok\n")

        async def lag_observed() -> bool:
            return (value(await scrape(port), "stylebot_event_loop_lag_seconds_count") or 0) > 0

        await wait_until_async(lag_observed, "the loop watch's lags never reached the metrics")
        watching.cancel()  # the watch falls silent, as it does while the loop is blocked

        async def dead() -> bool:
            status, body, _ = await get(port, "/healthz")
            return status == 503 and "event loop silent" in body

        await wait_until_async(dead, "/healthz never noticed the silent loop watch")
    finally:
        watching.cancel()
        await runner.cleanup()
        await db.dispose()
    assert metrics.registry.get_sample_value("stylebot_database_up") is None  # gone with the app


async def _hook(_request: web.Request) -> web.Response:
    return web.Response(text="taken")


async def test_telegram_errors_are_counted_by_kind(botapi: BotApiStandIn) -> None:
    metrics = BotMetrics()
    botapi.faults["sendMessage"] = [
        (429, "Too Many Requests: retry after 1", {"retry_after": 1}),
        (403, "Forbidden: bot was blocked by the user", None),
        (400, "Bad Request: chat not found", None),
        (502, "Bad Gateway", None),
        (500, "Internal Server Error", None),
    ]
    botapi.stalls["sendMessage"] = [1.0]  # after the faults: no answer within the read timeout
    seen = []
    async with Bot(TOKEN, base_url=botapi.base_url, base_file_url=botapi.base_file_url) as bot:
        for chat_id in range(1, 7):  # one message per chat: clear of the per-chat flood limit
            with pytest.raises(TelegramError) as raised:
                await bot.send_message(chat_id, "hello", read_timeout=0.3)
            seen.append(metrics.count_telegram_error(raised.value))
    for bot in (
        Bot(TOKEN, base_url="http://127.0.0.1:1/bot"),  # nothing listens there
        Bot("123456789:another-token_abcdefghijklmnopqrstuvw", base_url=botapi.base_url),
    ):
        with pytest.raises(TelegramError) as raised:
            await bot.get_me()
        seen.append(metrics.count_telegram_error(raised.value))

    assert seen == [
        TelegramErrorKind.RETRY_AFTER,
        TelegramErrorKind.FORBIDDEN,
        TelegramErrorKind.BAD_REQUEST,
        TelegramErrorKind.SERVER_ERROR,  # 502
        TelegramErrorKind.SERVER_ERROR,  # 500
        TelegramErrorKind.TIMED_OUT,
        TelegramErrorKind.NETWORK,
        TelegramErrorKind.OTHER,  # the wrong token
    ]
    counted = {
        kind: metrics.registry.get_sample_value("stylebot_telegram_errors_total", {"kind": kind})
        for kind in TelegramErrorKind
    }
    assert counted == {kind: float(seen.count(kind)) for kind in TelegramErrorKind}


def test_updates_received_and_replayed_are_counted_by_source() -> None:
    metrics = BotMetrics()
    metrics.updates_taken("polling", 3)
    metrics.updates_taken("webhook")
    metrics.replayed(2)
    received = {
        source: metrics.registry.get_sample_value("stylebot_updates_received_total", {"source": source})
        for source in ("polling", "webhook")
    }
    assert received == {"polling": 3.0, "webhook": 1.0}
    assert metrics.registry.get_sample_value("stylebot_updates_replayed_total") == 2.0
    with pytest.raises(ValueError):
        metrics.updates_taken("carrier pigeon")
