"""The outbox (bot.runtime.outbox) through real HTTP against the Bot API stand-in: a replayed update
gets the first run's answers back without sending again, but only for a call of the same method;
once the replay goes another way, every call is made for real and recorded anew."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.handling import HANDLING, Handling
from bot.runtime.outbox import RememberingRequest
from stylebot.database import async_session_factory, make_async_engine
from stylebot.models import Sent
from testkit.botapi import TOKEN, BotApiStandIn
from testkit.pictures import CAT

UPDATE = 4711
CHAT = 77


Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def bot_and_sessions(botapi: BotApiStandIn, sqlite_url: str) -> AsyncIterator[tuple[Bot, Sessions]]:
    """A Bot whose calls go through the outbox, and the sessions of its database."""
    engine = make_async_engine(sqlite_url)
    sessions = async_session_factory(engine)
    async with Bot(TOKEN, base_url=botapi.base_url, request=RememberingRequest(sessions)) as bot:
        yield bot, sessions
    await engine.dispose()


async def recorded(sessions: Sessions) -> list[Sent]:
    async with sessions() as session:
        return list(await session.scalars(select(Sent).where(Sent.update_id == UPDATE).order_by(Sent.seq)))


async def test_a_replay_gets_the_first_runs_answer_without_sending_again(
    botapi: BotApiStandIn, bot_and_sessions: tuple[Bot, Sessions]
) -> None:
    bot, _ = bot_and_sessions
    token = HANDLING.set(Handling(UPDATE, replaying=False))
    first = await bot.send_message(CHAT, "Send me a photo")
    HANDLING.reset(token)
    sent_before = len(botapi.calls_to("sendMessage"))
    token = HANDLING.set(Handling(UPDATE, replaying=True))
    again = await bot.send_message(CHAT, "Send me a photo")
    HANDLING.reset(token)
    assert again.message_id == first.message_id
    assert len(botapi.calls_to("sendMessage")) == sent_before == 1, "the replay sent nothing"


async def test_a_replay_that_goes_another_way_makes_its_calls_for_real(
    botapi: BotApiStandIn, bot_and_sessions: tuple[Bot, Sessions]
) -> None:
    bot, sessions = bot_and_sessions
    # The first run sent a picture, then a question (say the gallery was shown)...
    token = HANDLING.set(Handling(UPDATE, replaying=False))
    photo = await bot.send_photo(CHAT, photo=CAT)
    await bot.send_message(CHAT, "Which style?")
    HANDLING.reset(token)
    # ...the replay sends two questions (say the gallery was not there this time).
    token = HANDLING.set(Handling(UPDATE, replaying=True))
    asked = await bot.send_message(CHAT, "Send me a style")
    told = await bot.send_message(CHAT, "Or pick one")
    HANDLING.reset(token)
    assert asked.message_id != photo.message_id, "never another call's message id"
    texts = [c.params["text"] for c in botapi.calls_to("sendMessage")]
    assert texts == ["Which style?", "Send me a style", "Or pick one"], "both made for real"
    assert len({photo.message_id, asked.message_id, told.message_id}) == 3
    # What stays recorded is what this run did, for a replay of the replay.
    rows = await recorded(sessions)
    assert [(row.seq, row.method) for row in rows] == [(0, "sendMessage"), (1, "sendMessage")]
    assert str(asked.message_id) in rows[0].response and str(told.message_id) in rows[1].response
