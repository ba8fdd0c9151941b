"""Delivering results: side by side, each chat in order, a stalled chat delaying only itself, and
Telegram's refusals, lost answers and the bot's own lost records each handled by our code."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.exc import OperationalError

from stylebot import delivery
from stylebot.models import Request
from stylebot.outcomes import Failure
from testkit.botapi import BotApiStandIn, Call
from testkit.waiting import wait_until_async
from tests.harness import ROUNDS_POLL_SECONDS, add_done_request, buttons, notifier_rounds, running_bot


def results_to(botapi: BotApiStandIn, chat_id: int) -> list[Call]:
    return [c for c in botapi.calls_to("sendPhoto", chat_id) if c.result is not None]


def request_rows(database_url: str) -> dict[int, Request]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = {row.id: row for row in conn.execute(select(Request))}
    engine.dispose()
    return found  # type: ignore[return-value]


async def recorded_delivered(database_url: str, request_id: int, timeout: float) -> datetime:
    """Waits until the request's delivery is recorded in the database, and returns when it was."""
    return await wait_until_async(
        lambda: asyncio.to_thread(lambda: request_rows(database_url)[request_id].delivered_at),
        f"request {request_id}'s delivery recorded",
        timeout,
    )


async def test_a_stalled_chat_delays_only_itself_and_each_chat_keeps_its_order(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    stalled, others = [501, 502], [511, 512, 513, 514, 515, 516]
    for chat in stalled:
        botapi.slow_chats[chat] = 15.0  # a user on a bad connection: each upload takes 15 s
    async with running_bot(botapi, sqlite_url):
        for chat in stalled:  # finished first: first in the notifier's order
            await add_done_request(sqlite_url, user_id=chat)
        started = time.monotonic()
        ids = {chat: await add_done_request(sqlite_url, user_id=chat) for chat in others}
        second = await add_done_request(sqlite_url, user_id=others[0])  # its chat's second result
        for chat in others:
            await botapi.wait_for(
                "sendPhoto", lambda c, ch=chat: c.result is not None and c.chat_id == ch, timeout=10
            )
        took = time.monotonic() - started
        assert not results_to(botapi, stalled[0]) and not results_to(botapi, stalled[1])
        assert took < 10, f"the others waited {took:.1f} s behind two stalled uploads"
        ordered = await botapi.wait_for(
            "sendPhoto", lambda c: c.result is not None and f"file:{second}" in buttons(c), timeout=10
        )
        first = next(c for c in results_to(botapi, others[0]) if f"file:{ids[others[0]]}" in buttons(c))
        assert first.at < ordered.at, "one chat's results in the order they were made"
        for chat in stalled:  # the stalled ones arrive in the end, once each
            await botapi.wait_for(
                "sendPhoto", lambda c, ch=chat: c.result is not None and c.chat_id == ch, timeout=40
            )
    assert [len(results_to(botapi, chat)) for chat in stalled + others] == [1, 1, 2, 1, 1, 1, 1, 1]


async def test_a_result_telegram_took_is_never_sent_again_when_its_record_fails(
    botapi: BotApiStandIn, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = delivery.mark_delivered
    refused: list[int] = []

    async def database_away_once(**values: object) -> None:
        if not refused:
            refused.append(1)
            raise OperationalError("UPDATE requests", {}, Exception("connection refused"))
        await record(**values)  # type: ignore[arg-type]

    monkeypatch.setattr(delivery, "mark_delivered", database_away_once)
    async with running_bot(botapi, sqlite_url, queue_poll_seconds=ROUNDS_POLL_SECONDS) as bot:
        request_id = await add_done_request(sqlite_url, user_id=521)
        photo = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)
        await recorded_delivered(sqlite_url, request_id, timeout=60)
        await notifier_rounds(bot, 2)
    assert refused and len(results_to(botapi, 521)) == 1
    assert request_rows(sqlite_url)[request_id].result_message_id == photo.result["message_id"]


async def test_an_answer_lost_on_its_way_back_is_sent_again_and_recorded_once(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    """Telegram did the send but the bot never heard: it cannot ask, so it sends again (the user may
    see the picture twice, the one case where that happens) and records the send it heard of."""
    botapi.lost_answers["sendPhoto"] = [8.0]  # longer than the bot waits for an answer
    async with running_bot(botapi, sqlite_url, queue_poll_seconds=ROUNDS_POLL_SECONDS) as bot:
        request_id = await add_done_request(sqlite_url, user_id=522)
        await recorded_delivered(sqlite_url, request_id, timeout=120)
        await notifier_rounds(bot, 2)
    sent = results_to(botapi, 522)
    assert len(sent) == 2, "carried out twice: once unheard, once heard"
    assert request_rows(sqlite_url)[request_id].result_message_id == sent[-1].result["message_id"]


async def test_flood_control_beyond_the_rate_limiter_is_waited_out_by_the_notifier(
    botapi: BotApiStandIn, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """python-telegram-bot's limiter waits out three 429s itself; the fourth reaches our notifier."""
    botapi.faults["sendPhoto"] = [(429, "Too Many Requests: retry after 1", {"retry_after": 1})] * 4
    caplog.set_level(logging.INFO, logger="bot.runtime.notifier")
    async with running_bot(botapi, sqlite_url, queue_poll_seconds=ROUNDS_POLL_SECONDS) as bot:
        await add_done_request(sqlite_url, user_id=523)
        sent = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=30)
        await notifier_rounds(bot, 2)
    calls = botapi.calls_to("sendPhoto", 523)
    assert [c.result is not None for c in calls] == [False] * 4 + [True]
    assert "Telegram asks to wait" in caplog.text, "the notifier's own branch ran"
    assert sent.at - calls[3].at >= 1.0


async def test_a_user_who_blocked_the_bot_is_recorded_without_a_retry_storm(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    botapi.faults["sendPhoto"] = [(403, "Forbidden: bot was blocked by the user", None)] * 10
    async with running_bot(botapi, sqlite_url, queue_poll_seconds=ROUNDS_POLL_SECONDS) as bot:
        request_id = await add_done_request(sqlite_url, user_id=524)
        await botapi.wait_for("sendPhoto", timeout=20)
        await notifier_rounds(bot, 3)
    assert len(botapi.calls_to("sendPhoto")) == 1
    row = request_rows(sqlite_url)[request_id]
    assert row.delivered_at is not None and row.error == Failure.UNDELIVERABLE
