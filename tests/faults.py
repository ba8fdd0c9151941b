"""A whole conversation, step by step, for the tests that make Telegram fail under it (tests/test_faults_*):
photo, gallery pick, ↔ Swap twice, strength, /cancel, photo and style sent, strength, the result and
its File button, /forget. Each step waits for what the user sees next, carried out; afterwards the
tests count what was carried out and read every table.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from bot import app as bot_app
from bot import gallery
from bot.runtime.service import BotService
from stylebot.models import Base, Draft, Request, Status, utcnow
from testkit.botapi import BotApiStandIn, Call, User
from testkit.pictures import CAT, WAVES
from testkit.waiting import wait_until_async
from tests.harness import asks, buttons, running_bot, said, says, text_of

# The bot waits this long for an answer here (5 s in production), and a "timeout" holds a call a
# little longer: each timeout costs the test about a second and a half.
READ_SECONDS = 1.0
STALL_SECONDS = 1.5
# A caption only the user wrote: /forget must leave it nowhere.
CAPTION = "Barsik on the windowsill"
# The texts the user is shown, each once (a step carried out twice would say its text twice).
SAID_ONCE = {
    "start": 1,
    "got_content": 2,
    "got_style": 2,
    "swapped": 1,
    "cancelled_notice": 1,
    "forget_prompt": 1,
    "forgotten": 1,
}


@contextlib.asynccontextmanager
async def faulty_bot(botapi: BotApiStandIn, database_url: str) -> AsyncIterator[BotService]:
    """The real bot against the stand-in, with a short wait for Telegram's answers."""
    botapi.flaky_stall_seconds = STALL_SECONDS
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot_app, "TELEGRAM_READ_SECONDS", READ_SECONDS)
        async with running_bot(botapi, database_url, style_gallery_dir=None) as service:
            yield service


def copy_database(template: Path, folder: Path) -> str:
    path = folder / "stylebot.db"
    path.write_bytes(template.read_bytes())
    return f"sqlite:///{path}"


def _carried(call: Call, chat_id: int) -> bool:
    return call.result is not None and call.chat_id == chat_id


async def converse(botapi: BotApiStandIn, database_url: str, user: User) -> dict[str, Any]:
    """Every step of the conversation; returns what the tests check after it."""
    chat = user.id
    await said(botapi, lambda: botapi.send_text(user, "/start"), predicate=asks("start"), timeout=60)
    preview = await said(
        botapi,
        lambda: botapi.send_photo(user, CAT, caption=CAPTION),
        "sendPhoto",
        asks("got_content"),
        timeout=60,
    )
    style = gallery.list_styles(None)[0]
    question = await said(
        botapi,
        lambda: botapi.press_button(user, preview.result, f"style:g:{style.key}"),
        predicate=asks("got_style"),
        timeout=60,
    )
    # ↔ Swap twice: swapped, then swapped back (Telegram: "message is not modified"), and saved.
    before = await wait_until_async(lambda: strength_draft(database_url, chat), "the style saved")
    await said(
        botapi, lambda: botapi.press_button(user, question.result, "swap"), "editMessageText", asks("swapped")
    )
    await wait_until_async(
        lambda: draft_holds(database_url, chat, before["style"], before["content"]), "the swap saved"
    )
    botapi.press_button(user, question.result, "swap")
    await wait_until_async(
        lambda: draft_holds(database_url, chat, before["content"], before["style"]), "the swap back saved"
    )
    await said(
        botapi,
        lambda: botapi.press_button(user, question.result, "strength:medium"),
        "editMessageText",
        lambda c: int(c.params["message_id"]) == question.result["message_id"],
        timeout=60,
    )
    queued = await asyncio.to_thread(requests_of, database_url, chat)
    await said(
        botapi, lambda: botapi.send_text(user, "/cancel"), predicate=asks("cancelled_notice"), timeout=60
    )
    cancelled = await asyncio.to_thread(requests_of, database_url, chat)
    # A new picture: photo and style both sent, the result delivered, its File button pressed.
    await said(botapi, lambda: botapi.send_photo(user, CAT), predicate=asks("got_content"), timeout=60)
    question = await said(
        botapi, lambda: botapi.send_photo(user, WAVES), predicate=asks("got_style"), timeout=60
    )
    await said(
        botapi,
        lambda: botapi.press_button(user, question.result, "strength:strong"),
        "editMessageText",
        lambda c: int(c.params["message_id"]) == question.result["message_id"],
        timeout=60,
    )
    mark = botapi.mark()
    await asyncio.to_thread(finish_queued, database_url, chat)  # a thread: the bot shares this loop
    result = await botapi.wait_for(
        "sendPhoto",
        lambda c: (
            c.result is not None and c.chat_id == chat and any(d.startswith("file:") for d in buttons(c))
        ),
        after=mark,
        timeout=60,
    )
    file_data = next(d for d in buttons(result) if d.startswith("file:"))
    await said(
        botapi, lambda: botapi.press_button(user, result.result, file_data), "sendDocument", timeout=60
    )
    made = await asyncio.to_thread(requests_of, database_url, chat)
    prompt = await said(botapi, lambda: botapi.send_text(user, "/forget"), predicate=asks("forget_prompt"))
    await said(
        botapi,
        lambda: botapi.press_button(user, prompt.result, "forget:yes"),
        "editMessageText",
        asks("forgotten"),
        timeout=60,
    )
    return {"queued": queued, "cancelled": cancelled, "made": made}


def said_once(botapi: BotApiStandIn, chat_id: int) -> dict[str, int]:
    """How many times each text of SAID_ONCE was carried out in the chat (sent or edited in)."""
    counts: collections.Counter[str] = collections.Counter()
    for call in list(botapi.calls):
        if _carried(call, chat_id) and call.method in ("sendMessage", "sendPhoto", "editMessageText"):
            counts.update(key for key in SAID_ONCE if says(text_of(call), key))
    return dict(counts)


def results_sent(botapi: BotApiStandIn, chat_id: int) -> tuple[int, int]:
    """(paintings delivered, files sent) in the chat, carried out."""
    photos = [c for c in botapi.calls_to("sendPhoto", chat_id) if c.result and "photo" in c.files]
    documents = [c for c in botapi.calls_to("sendDocument", chat_id) if c.result]
    return len([c for c in photos if not text_of(c) or not says(text_of(c), "got_content")]), len(documents)


def draft_of(database_url: str, user_id: int) -> dict[str, Any]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        row = session.get(Draft, user_id)
        data = dict(row.data) if row is not None else {}
    engine.dispose()
    return {"content": data.get("content"), "style": data.get("style"), "step": data.get("step")}


async def draft_holds(database_url: str, user_id: int, content: int | None, style: int | None) -> bool:
    draft = await asyncio.to_thread(draft_of, database_url, user_id)
    return (draft["content"], draft["style"]) == (content, style)


async def strength_draft(database_url: str, user_id: int) -> dict[str, Any] | None:
    """The user's draft once it is at the strength question (saved after the question is asked)."""
    draft = await asyncio.to_thread(draft_of, database_url, user_id)
    return draft if draft["step"] == "strength" and draft["style"] is not None else None


def requests_of(database_url: str, user_id: int) -> list[tuple[str, str]]:
    """(status, strength) of the user's requests, oldest first."""
    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = session.execute(
            select(Request.status, Request.strength).where(Request.user_id == user_id).order_by(Request.id)
        )
        found = [(str(status), str(strength)) for status, strength in rows]
    engine.dispose()
    return found


def finish_queued(database_url: str, user_id: int) -> None:
    """What a worker does at the end of the user's queued job."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            update(Request)
            .where(Request.user_id == user_id, Request.status == Status.QUEUED)
            .values(
                status=Status.DONE,
                result_image=CAT,
                output_width=64,
                output_height=43,
                engine_seconds=1.0,
                finished_at=utcnow(),
            )
        )
    engine.dispose()


def mentions(database_url: str, needles: list[str]) -> Iterator[tuple[str, str]]:
    """(table, row) for each needle found in any column of any row of any table the models define
    (their metadata: a table added later is read too)."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                said = " ".join(str(value) for value in row if not isinstance(value, bytes | memoryview))
                if any(needle in said for needle in needles):
                    yield table.name, said[:300]
    engine.dispose()


async def check_every_step(
    botapi: BotApiStandIn,
    database_url: str,
    service: BotService,
    method: str,
    number: int,
    kinds: tuple[str, ...] = ("5xx", "timeout", "429"),
) -> None:
    """The conversation with every other call to `method` failing, in turn with each of `kinds`;
    then what the user saw, what was made, and what /forget left."""
    user = User(9_100_000_000 + number, first_name=f"Zinaida{number}q")
    mark = botapi.mark()
    botapi.flaky = {method: list(kinds)}
    try:
        seen = await converse(botapi, database_url, user)
    finally:
        botapi.flaky = {}
    calls = [c for c in botapi.calls[mark:] if c.method == method]
    failed, carried = len([c for c in calls if c.result is None]), len([c for c in calls if c.result])
    # Each call failed once before it went through (a delivery's deleteMessage that fails is not
    # tried again: the status is edited to say "done" instead, bot.runtime.delivery).
    assert failed >= min(len(kinds), max(carried, 1)), f"{method}: {failed} failed, {carried} made"
    assert said_once(botapi, user.id) == SAID_ONCE
    assert seen["queued"] == [("queued", "medium")], "the strength pressed queued one request"
    assert seen["cancelled"] == [("cancelled", "medium")], "/cancel cancelled it"
    assert seen["made"] == [("cancelled", "medium"), ("done", "strong")]
    assert results_sent(botapi, user.id) == (1, 1), "the painting and its file, once each"
    await service.processor.wait_idle()  # the /forget update marked done: what it sent forgotten
    left = list(mentions(database_url, [str(user.id), user.first_name, CAPTION]))
    assert left == [], f"after /forget: {left}"
