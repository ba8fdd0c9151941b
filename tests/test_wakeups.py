"""Wake-ups (stylebot.wakeups): an idle worker takes a new job, and the bot's notifier delivers a
finished one, at once, not at their next poll; with the wake-ups lost, the poll still delivers."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
import torch
from sqlalchemy import select
from telegram import Bot

from bot.runtime.notifier import Notifier
from engine.transfer import ALL_LAYERS
from engine.vgg import FeatureNet
from engine.worker import Worker
from stylebot import wakeups
from stylebot.database import async_session_factory, make_async_engine, make_engine
from stylebot.models import Request
from stylebot.settings import Settings
from testkit.botapi import BotApiStandIn
from testkit.pictures import cat_photo, jpeg_bytes, png_bytes, style_texture
from testkit.queueing import queue_requests
from testkit.waiting import wait_until_async

SLOW_POLL = 60.0  # far longer than any wait below: what arrives in time was woken, not polled
WOKEN_WITHIN = 15.0  # a tiny engine's job on a loaded machine, with room to spare


@pytest.fixture(scope="module")
def net() -> FeatureNet:
    return FeatureNet(ALL_LAYERS)


def tiny(url: str, **overrides: Any) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        engine_max_side=32,
        engine_steps=2,
        **overrides,
    )


@asynccontextmanager
async def running(settings: Settings, net: FeatureNet, botapi: BotApiStandIn) -> AsyncIterator[Notifier]:
    """A worker loop and the bot's notifier, both idle (each has looked once and is waiting)."""
    worker = Worker(settings, name="wake-test", device=torch.device("cpu"), net=net)
    idle = threading.Event()
    waits: Callable[[threading.Event], bool] = worker._idle

    def idle_now(stop: threading.Event) -> bool:
        idle.set()
        return waits(stop)

    worker._idle = idle_now  # type: ignore[method-assign]
    stop = threading.Event()
    loop = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    loop.start()
    db = make_async_engine(settings.database_url)
    bot = Bot(botapi.token, base_url=botapi.base_url, base_file_url=botapi.base_file_url)
    await bot.initialize()
    wake = wakeups.AsyncListener(settings.database_url, wakeups.EVENTS, enabled=settings.queue_wakeups)
    notifier = Notifier(bot, async_session_factory(db), wake=wake, poll_seconds=settings.queue_poll_seconds)
    task = asyncio.create_task(notifier.run())
    try:
        await wait_until_async(lambda: notifier.rounds >= 1 and idle.is_set(), "worker and notifier idle")
        yield notifier
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        stop.set()
        await asyncio.to_thread(loop.join, 10)
        await bot.shutdown()
        await db.dispose()


def queue_one(url: str) -> int:
    [request_id] = queue_requests(
        url, user_id=7, count=1, content=jpeg_bytes(cat_photo()), style=png_bytes(style_texture())
    )
    return request_id


def claimed_by(url: str, request_id: int) -> str | None:
    engine = make_engine(url)
    with engine.connect() as conn:
        worker = conn.scalar(select(Request.worker).where(Request.id == request_id))
    engine.dispose()
    return worker


async def test_an_idle_worker_and_the_notifier_are_woken_not_polled(
    database_url: str, net: FeatureNet, botapi: BotApiStandIn
) -> None:
    """Both are idle with a poll a minute away: the job is claimed, painted and its photo sent
    long before that (the worker waits on its listener, the notifier on its own)."""
    settings = tiny(database_url, queue_poll_seconds=SLOW_POLL)
    async with running(settings, net, botapi):
        mark = botapi.mark()
        request_id = await asyncio.to_thread(queue_one, database_url)
        photo = await botapi.wait_for(
            "sendPhoto", lambda c: c.result is not None, after=mark, timeout=WOKEN_WITHIN
        )
        assert int(photo.params["chat_id"]) == 7
        assert await asyncio.to_thread(claimed_by, database_url, request_id) == "wake-test"


@pytest.mark.parametrize("how", ["lost", "off"])
async def test_without_wake_ups_the_poll_still_delivers(
    sqlite_url: str, net: FeatureNet, botapi: BotApiStandIn, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Every announcement lost on its way (listeners waiting for nothing), or wake-ups switched off:
    the slow poll finds the job, and then its outcome."""
    if how == "lost":
        monkeypatch.setattr(wakeups, "notify_within", lambda *_: None)
        monkeypatch.setattr(wakeups, "notify_after", lambda *_: None)

        async def announce(*_: object) -> None:
            return None

        monkeypatch.setattr(wakeups, "announce", announce)
    settings = tiny(sqlite_url, queue_poll_seconds=0.5, queue_wakeups=how != "off")
    async with running(settings, net, botapi):
        mark = botapi.mark()
        await asyncio.to_thread(queue_one, sqlite_url)
        photo = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, after=mark)
        assert int(photo.params["chat_id"]) == 7


async def test_a_postgresql_listener_comes_back_after_its_connection_drops(postgres_url: str) -> None:
    """The dedicated LISTEN connection is killed: the listener polls, reconnects, and wakes again."""
    listener = wakeups.AsyncListener(postgres_url, wakeups.EVENTS)
    await listener.start()
    engine = make_engine(postgres_url)
    try:
        assert listener._conn is not None
        backend = listener._conn.info.backend_pid
        with engine.begin() as conn:
            conn.exec_driver_sql(f"SELECT pg_terminate_backend({backend})")
        listener._tried_at = -wakeups.RECONNECT_SECONDS  # reconnecting is due at once
        assert not await listener.wait(0.2)  # the drop is found: it polls meanwhile
        assert await listener.wait(0.2)  # back: woken once, as something may have been missed
        with wakeups.announcing(engine, wakeups.EVENTS):
            pass
        assert await wait_until_async(lambda: listener.wait(1.0), "woken on the new connection", timeout=5)
    finally:
        await listener.close()
        engine.dispose()
