"""When Telegram fails for longer than a call's retries (bot.runtime.transient): the gallery's preview
gives way to the question as text, an update whose step still fails is handled again (not consumed
with an apology) and, past every round, waits in the inbox for the next start; handled updates keep
only their id, for a day."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.runtime import ordering, retention
from stylebot import inbox
from stylebot.database import async_session_factory, make_async_engine
from stylebot.models import Inbox, utcnow
from testkit.botapi import BotApiStandIn, User
from testkit.pictures import CAT, WAVES
from testkit.waiting import wait_until_async
from tests.harness import asks, buttons, running_bot, said, says, text_of

BAD_GATEWAY = (502, "Bad Gateway", None)
TRIES = 4  # bot.runtime.transient.ATTEMPTS: one call's tries


def inbox_rows(database_url: str) -> dict[int, Inbox]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = {row.update_id: row for row in session.scalars(select(Inbox))}
    engine.dispose()
    return rows


def apologies(botapi: BotApiStandIn, chat_id: int) -> list[str]:
    return [text_of(c) for c in botapi.calls_to("sendMessage", chat_id) if says(text_of(c), "internal_error")]


async def test_the_gallery_preview_gives_way_to_the_question_as_text(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(9_200_000_001)
    async with running_bot(botapi, sqlite_url):
        await said(botapi, lambda: botapi.send_text(user, "/start"), predicate=asks("start"), timeout=60)
        botapi.faults["sendPhoto"] = [BAD_GATEWAY] * TRIES
        question = await said(botapi, lambda: botapi.send_photo(user, CAT), predicate=asks("got_content"))
        assert any(data.startswith("style:g:") for data in buttons(question)), "the gallery's buttons"
        picked = next(data for data in buttons(question) if data.startswith("style:g:"))
        await said(
            botapi, lambda: botapi.press_button(user, question.result, picked), predicate=asks("got_style")
        )
    assert len(botapi.calls_to("sendPhoto", user.id)) == TRIES, "the preview was tried, then given up"
    assert apologies(botapi, user.id) == []


async def test_a_step_telegram_keeps_failing_is_handled_again_and_keeps_the_photo(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    """The preview and its text fallback both fail every try: the photo's update is handled again (the
    download and the upload are not lost), the question comes once, and the next picture is the style."""
    user = User(9_200_000_002)
    async with running_bot(botapi, sqlite_url):
        await said(botapi, lambda: botapi.send_text(user, "/start"), predicate=asks("start"), timeout=60)
        botapi.faults["sendPhoto"] = [BAD_GATEWAY] * TRIES
        botapi.faults["sendMessage"] = [BAD_GATEWAY] * TRIES
        await said(botapi, lambda: botapi.send_photo(user, CAT), "sendPhoto", asks("got_content"), timeout=60)
        await said(botapi, lambda: botapi.send_photo(user, WAVES), predicate=asks("got_style"), timeout=60)
    questions = [
        c for c in botapi.calls if c.chat_id == user.id and c.result and says(text_of(c), "got_content")
    ]
    assert len(questions) == 1, "asked once"
    assert apologies(botapi, user.id) == [], "Telegram's failure is not answered with an apology"
    assert all(row.done_at is not None for row in inbox_rows(sqlite_url).values())


async def test_an_update_telegram_fails_past_every_round_waits_for_the_next_start(
    botapi: BotApiStandIn, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ordering, "ROUND_PAUSES_SECONDS", (0.1, 0.1, 0.1))
    caplog.set_level(logging.WARNING, logger="bot.runtime.ordering")
    user = User(9_200_000_003)
    botapi.faults["sendMessage"] = [BAD_GATEWAY] * (TRIES * ordering.HANDLING_ROUNDS)
    async with running_bot(botapi, sqlite_url):
        update_id = botapi.send_text(user, "/start")
        await wait_until_async(lambda: "kept for the next start" in caplog.text, "the rounds given up")
    assert inbox_rows(sqlite_url)[update_id].done_at is None, "left in the inbox, not consumed"
    assert not [c for c in botapi.calls_to("sendMessage", user.id) if c.result], "nothing got through"
    async with running_bot(botapi, sqlite_url):  # Telegram is back: replayed at the start
        await botapi.wait_for("sendMessage", lambda c: c.result is not None and asks("start")(c))
        await wait_until_async(lambda: inbox_rows(sqlite_url)[update_id].done_at, "the update done")
    greetings = [c for c in botapi.calls_to("sendMessage", user.id) if c.result]
    assert len(greetings) == 1 and apologies(botapi, user.id) == []


async def test_handled_updates_keep_only_their_id_and_go_after_a_day(sqlite_url: str) -> None:
    engine = make_async_engine(sqlite_url)
    sessions = async_session_factory(engine)
    payload = {"message": {"text": "my secret words", "from": {"id": 5, "first_name": "Olga"}}}
    async with sessions.begin() as session:
        await inbox.store_updates(
            session=session, updates=[(1, 5, payload), (2, 5, payload), (3, 5, payload)]
        )
        await inbox.mark_done(session=session, update_id=1)
        await inbox.mark_done(session=session, update_id=2)
    rows = inbox_rows(sqlite_url)
    assert rows[1].payload == {} and rows[3].payload == payload, "a handled update keeps its id only"
    async with sessions.begin() as session:
        await session.execute(
            Inbox.__table__.update()
            .where(Inbox.update_id == 1)
            .values(done_at=utcnow() - timedelta(hours=25))
        )
    await retention.purge_once(sessions, days=7)
    assert sorted(inbox_rows(sqlite_url)) == [2, 3], "handled a day ago: gone; recent and pending: kept"
    async with sessions.begin() as session:
        assert await inbox.store_updates(session=session, updates=[(2, 5, payload)]) == set(), (
            "a redelivery of a handled update is still recognised"
        )
    await engine.dispose()
