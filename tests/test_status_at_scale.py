"""Hundreds of users waiting: what each sees of their place, within Telegram's message budget.

The real notifier against the Bot API stand-in and a real database: the front of the queue sees
exact places, the rest the milestone they are within, and a status is edited only when that changes,
never more than EDITS_PER_ROUND a round nor more than once per EDIT_INTERVAL in a chat.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session
from telegram import Bot

from bot.runtime import notifier as notifier_module
from bot.runtime.notifier import EDITS_PER_ROUND, Notifier
from bot.texts.status import EXACT_UP_TO, Place, waiting_text
from stylebot.database import async_session_factory, make_async_engine
from stylebot.models import Request, Status, utcnow
from testkit.botapi import BotApiStandIn
from testkit.queueing import queue_requests
from tests.harness import says

WAITING = 260


def queue_many(database_url: str, botapi: BotApiStandIn) -> list[int]:
    """WAITING users with one request each, each with the status message the bot sent when it was
    queued (its place then, as bot.submission words it)."""
    ids = []
    for user_id in range(1, WAITING + 1):
        ids += queue_requests(database_url, user_id=user_id, count=1)
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        for position, request in enumerate(session.scalars(select(Request).order_by(Request.id)), start=1):
            place = Place.of(position)
            first = waiting_text(
                "en", strength=request.strength, exact=place.exact, within=place.within, wait_seconds=None
            )
            request.status_message_id = botapi.add_bot_message(request.chat_id, first)["message_id"]
    engine.dispose()
    return ids


def claim(database_url: str, ids: list[int]) -> None:
    """Workers took these and delivered them (for the waiting users, the queue moved on)."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            update(Request)
            .where(Request.id.in_(ids))
            .values(status=Status.DONE, started_at=utcnow(), finished_at=utcnow(), delivered_at=utcnow())
        )
    engine.dispose()


def shown(botapi: BotApiStandIn, chat_id: int) -> str:
    """What the user's status message says now."""
    [(_, message)] = [(key, m) for key, m in botapi.messages() if key[0] == chat_id]
    return message.text


async def rounds(notifier: Notifier, botapi: BotApiStandIn, count: int) -> list[int]:
    """Runs `count` rounds, each once the last one's edits are done; returns the edits each made."""
    made = []
    for _ in range(count):
        mark = botapi.mark()
        await notifier.tick()
        await notifier.lanes.drain()
        made.append(len([c for c in botapi.calls[mark:] if c.method == "editMessageText"]))
    return made


async def test_many_waiting_users_see_places_and_milestones_within_the_budget(
    botapi: BotApiStandIn, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await asyncio.to_thread(queue_many, sqlite_url, botapi)
    monkeypatch.setattr(notifier_module, "EDIT_INTERVAL", 0.0)  # rounds run back to back, not a second apart
    botapi.flood.enabled = False  # the budget under test is the notifier's own
    db = make_async_engine(sqlite_url)
    bot = Bot(botapi.token, base_url=botapi.base_url, base_file_url=botapi.base_file_url)
    await bot.initialize()
    notifier = Notifier(bot, async_session_factory(db))
    try:
        made = await rounds(notifier, botapi, 12)
        assert max(made) <= EDITS_PER_ROUND and sum(made) > 0
        front = [shown(botapi, chat) for chat in range(1, EXACT_UP_TO + 1)]
        assert [says(t, "queue_position", position=n) for n, t in enumerate(front, start=1)] == [
            True
        ] * EXACT_UP_TO
        # Further back, the milestone the place is within ("in the first 200"), as queued.
        assert says(shown(botapi, 195), "queue_within", within=200), shown(botapi, 195)
        assert says(shown(botapi, 250), "queue_within", within=500), shown(botapi, 250)
        assert not botapi.calls_to("editMessageText", 250), "nothing changed for it: no edit"

        await asyncio.to_thread(claim, sqlite_url, ids[:60])  # 60 jobs done: place 250 becomes 190
        await rounds(notifier, botapi, 12)
        assert says(shown(botapi, 250), "queue_within", within=200), shown(botapi, 250)
        assert says(shown(botapi, 61), "queue_position", position=1)
        # Everyone's status was edited a handful of times at most: milestones, not every step.
        edits = Counter(c.chat_id for c in botapi.calls_to("editMessageText") if c.result is not None)
        assert max(edits.values()) <= 6, edits.most_common(3)
        assert all(not says(shown(botapi, chat), "queue_position") for chat in range(70, WAITING + 1))
    finally:
        await bot.shutdown()
        await db.dispose()
