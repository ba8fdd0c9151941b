"""Faults from outside: the database going away, Telegram failing and timing out."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Iterator

import pytest
import torch
from sqlalchemy import create_engine, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.app import TELEGRAM_READ_SECONDS
from bot.runtime import notifier
from engine import outage
from engine.transfer import ALL_LAYERS
from engine.vgg import FeatureNet
from engine.worker import Worker
from stylebot.models import Request
from stylebot.models import User as UserRow
from stylebot.outcomes import Failure
from stylebot.settings import Settings
from testkit.botapi import BotApiStandIn, User
from testkit.pictures import cat_photo, jpeg_bytes, png_bytes, style_texture
from testkit.tcpproxy import TcpProxy
from testkit.waiting import wait_until_async
from tests.harness import (
    ROUNDS_POLL_SECONDS,
    add_done_request,
    notifier_rounds,
    running_bot,
    says,
    send_two_pictures,
)

OUTAGE_SECONDS = 10.0


@pytest.fixture
def proxied_postgres(postgres_url: str) -> Iterator[tuple[str, TcpProxy]]:
    """The test database reached through a proxy that the test can cut."""
    url = make_url(postgres_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    try:
        yield url.set(port=proxy.port).render_as_string(hide_password=False), proxy
    finally:
        proxy.stop()


async def test_the_database_away_for_ten_seconds(
    botapi: BotApiStandIn, proxied_postgres: tuple[str, TcpProxy]
) -> None:
    url, proxy = proxied_postgres
    waiting, newcomer = User(81), User(82)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        engine_max_side=32,
        engine_steps=3,
    )
    worker = Worker(settings, name="outage-worker", device=torch.device("cpu"), net=FeatureNet(ALL_LAYERS))
    stop = threading.Event()
    loop = threading.Thread(target=worker.run, args=(stop,))
    async with running_bot(botapi, url):
        keyboard = await send_two_pictures(
            botapi, waiting, jpeg_bytes(cat_photo()), png_bytes(style_texture())
        )
        mark = botapi.mark()
        botapi.press_button(waiting, keyboard.result, "strength:medium")
        await botapi.wait_for("editMessageText", lambda c: "Queued" in c.params["text"], after=mark)

        proxy.cut()
        cut_at = time.monotonic()
        loop.start()  # the worker starts during the outage: it must wait, not die
        for user, command in ((newcomer, "/start"), (waiting, "/history")):
            mark = botapi.mark()
            botapi.send_text(user, command)
            busy = await botapi.wait_for("sendMessage", after=mark, timeout=15)
            assert "try again in a minute" in busy.params["text"], busy.params["text"]
            assert time.monotonic() - cut_at < OUTAGE_SECONDS, "users are told at once, not after the outage"
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)))
        assert loop.is_alive()
        proxy.restore()

        photo = await botapi.wait_for("sendPhoto", timeout=60)
        assert int(photo.params["chat_id"]) == waiting.id
        mark = botapi.mark()
        botapi.send_text(newcomer, "/start")
        greeting = await botapi.wait_for("sendMessage", after=mark, timeout=20)
        assert "I turn photos into paintings" in greeting.params["text"]
    stop.set()
    loop.join(20)
    assert not loop.is_alive()
    assert len(botapi.calls_to("sendPhoto")) == 1, "the queued request survived and was delivered once"


async def test_5xx_and_timeouts_are_retried_and_the_result_arrives_once(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(botapi, sqlite_url, queue_poll_seconds=ROUNDS_POLL_SECONDS) as bot:
        bot.notifier.first_backoff = 0.5
        botapi.faults["sendPhoto"] = [(502, "Bad Gateway", None), (500, "Internal Server Error", None)]
        botapi.stalls["sendPhoto"] = [TELEGRAM_READ_SECONDS + 1]  # longer than the bot waits for an answer
        await add_done_request(sqlite_url, user_id=83)
        sent = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=60)
        await notifier_rounds(bot, 3)  # later rounds have run: nothing more went out
    attempts = botapi.calls_to("sendPhoto")
    assert [c.result is not None for c in attempts] == [False, False, False, True], attempts
    assert sent is attempts[-1]
    # The backoff doubles from its first wait: no retry comes before its wait is over (a slow round
    # only adds).
    gaps = [b.at - a.at for a, b in itertools.pairwise(attempts)]
    assert gaps[0] >= 0.5 and gaps[1] >= 1.0, f"backoff grows: {gaps}"


@pytest.mark.parametrize(
    ("failure", "language", "key"),
    [
        ("time_limit", "en", "failure_time_limit"),
        ("too_large", "en", "failure_too_large"),
        ("time_limit", "ru", "failure_time_limit"),
        ("out_of_memory", "zh", "failure_out_of_memory"),
        ("an English sentence from an older version", "en", "failure_unknown"),
    ],
)
async def test_a_failed_job_is_explained_in_the_users_language(
    botapi: BotApiStandIn, sqlite_url: str, failure: str, language: str, key: str
) -> None:
    user_id = 84
    request_id = await add_done_request(sqlite_url, user_id=user_id)
    engine = create_engine(sqlite_url)
    with Session(engine) as session, session.begin():
        session.execute(update(UserRow).where(UserRow.id == user_id).values(language=language))
        session.execute(
            update(Request)
            .where(Request.id == request_id)
            .values(status="failed", error=failure, result_image=None)
        )
    engine.dispose()
    async with running_bot(botapi, sqlite_url):
        told = await botapi.wait_for("sendMessage", lambda c: int(c.params["chat_id"]) == user_id, timeout=20)
    assert says(told.params["text"], "failure_message", language) and says(told.params["text"], key, language)


async def test_a_result_telegram_keeps_refusing_is_given_up_not_retried_forever(
    botapi: BotApiStandIn, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notifier, "MAX_BACKOFF", 0.0)  # the real backoff would make this half an hour
    monkeypatch.setattr(notifier, "MAX_DELIVERY_FAILURES", 3)
    botapi.faults["sendPhoto"] = [(400, "Bad Request: chat not found", None)] * 10
    async with running_bot(botapi, sqlite_url, queue_poll_seconds=ROUNDS_POLL_SECONDS) as bot:
        request_id = await add_done_request(sqlite_url, user_id=85)
        await wait_until_async(lambda: len(botapi.calls_to("sendPhoto")) >= 3, "three tries", timeout=20)
        await notifier_rounds(bot, 3)  # later rounds have run: no fourth try
    assert len(botapi.calls_to("sendPhoto")) == 3
    engine = create_engine(sqlite_url)
    with Session(engine) as session:
        request = session.get(Request, request_id)
        assert request is not None and request.delivered_at is not None
        assert request.error == Failure.UNDELIVERABLE
    engine.dispose()


def test_a_worker_keeps_its_result_through_a_short_database_outage(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(_env_file=None, database_url=sqlite_url, job_lease_seconds=30)  # type: ignore[call-arg]
    worker = Worker(settings, name="w", device=torch.device("cpu"), net=FeatureNet(ALL_LAYERS))
    pauses: list[float] = []
    monkeypatch.setattr(outage.time, "sleep", pauses.append)
    attempts: list[int] = []

    def write() -> None:
        """Finishing the job: the database refuses twice, then takes it."""
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("UPDATE requests", {}, Exception("connection refused"))

    worker.jobs._save(1, "the result", write)
    assert len(attempts) == 3 and pauses == [0.5, 1.0]
