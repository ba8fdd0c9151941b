"""The conversation's answers to every step and every mistake, with the real Application in-process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from telegram.ext import Application

from stylebot.models import Request
from stylebot.outcomes import Failure
from testkit.botapi import BotApiStandIn, User
from tests.conftest import cat_photo, jpeg_bytes, png_bytes, style_texture
from tests.harness import add_done_request, running_bot, says, send_two_pictures


@pytest.fixture
async def bot(botapi: BotApiStandIn, sqlite_url: str) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with running_bot(botapi, sqlite_url) as app:
        yield app


async def reply_to(botapi: BotApiStandIn, action, method: str = "sendMessage") -> str:  # type: ignore[no-untyped-def]
    mark = botapi.mark()
    action()
    call = await botapi.wait_for(method, after=mark)
    return str(call.params.get("text", ""))


def count_requests(database_url: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(Request))
    engine.dispose()
    return int(count or 0)


async def test_start_explains_and_help_lists_commands(bot: Application, botapi: BotApiStandIn) -> None:  # type: ignore[type-arg]
    user = User(1)
    assert (
        "send the content photo" in (await reply_to(botapi, lambda: botapi.send_text(user, "/start"))).lower()
    )
    help_text = await reply_to(botapi, lambda: botapi.send_text(user, "/help"))
    for command in ("/start", "/cancel", "/history", "/help"):
        assert command in help_text
    assert botapi.calls_to("setMyCommands"), "commands are registered at start-up"


async def test_wrong_input_at_each_step_says_what_is_expected(
    bot: Application, botapi: BotApiStandIn
) -> None:  # type: ignore[type-arg]
    user = User(2)
    await reply_to(botapi, lambda: botapi.send_text(user, "/start"))
    assert "send the photo" in (await reply_to(botapi, lambda: botapi.send_text(user, "hello"))).lower()
    assert "send the photo" in (await reply_to(botapi, lambda: botapi.send_sticker(user))).lower()
    assert "already under way" in await reply_to(botapi, lambda: botapi.send_text(user, "/start"))

    await reply_to(botapi, lambda: botapi.send_photo(user, jpeg_bytes(cat_photo())))
    assert "style picture" in await reply_to(botapi, lambda: botapi.send_text(user, "what now?"))
    second_start = await reply_to(botapi, lambda: botapi.send_text(user, "/start"))
    assert "already under way" in second_start and "style picture" in second_start

    mark = botapi.mark()
    botapi.send_photo(user, png_bytes(style_texture()))
    await botapi.wait_for("sendMessage", lambda c: "reply_markup" in c.params, after=mark)
    assert "buttons" in await reply_to(botapi, lambda: botapi.send_text(user, "strong please"))


async def test_files_that_are_not_usable_pictures_are_refused(
    bot: Application, botapi: BotApiStandIn
) -> None:  # type: ignore[type-arg]
    user = User(3)
    await reply_to(botapi, lambda: botapi.send_text(user, "/start"))
    pdf = await reply_to(
        botapi,
        lambda: botapi.send_document(user, b"%PDF-1.4 ...", mime_type="application/pdf", file_name="a.pdf"),
    )
    assert "isn't a picture" in pdf
    fake = await reply_to(
        botapi, lambda: botapi.send_document(user, b"not a jpeg", mime_type="image/jpeg", file_name="a.jpg")
    )
    assert "can't use that picture" in fake and "not a picture" in fake
    whole = jpeg_bytes(cat_photo())
    truncated = whole[: len(whole) // 2]
    assert "damaged or incomplete" in await reply_to(botapi, lambda: botapi.send_photo(user, truncated))
    botapi.faults["getFile"] = [(400, "Bad Request: file is too big", None)]
    assert "20 MB" in await reply_to(botapi, lambda: botapi.send_photo(user, jpeg_bytes(cat_photo())))
    # Still waiting for the content photo; a good one goes through.
    assert "Got the photo" in await reply_to(
        botapi,
        lambda: botapi.send_document(user, png_bytes(cat_photo()), mime_type="image/png", file_name="c.png"),
    )


async def test_a_photo_without_start_begins_and_text_when_idle_gets_a_hint(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
) -> None:
    user = User(4)
    assert "Send me a photo" in await reply_to(botapi, lambda: botapi.send_text(user, "hi"))
    assert "Got the photo" in await reply_to(botapi, lambda: botapi.send_photo(user, jpeg_bytes(cat_photo())))


async def test_strength_pressed_twice_makes_one_request(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
    sqlite_url: str,
) -> None:
    user = User(5)
    keyboard = await send_two_pictures(botapi, user, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    mark = botapi.mark()
    botapi.press_button(user, keyboard.result, "strength:light")
    botapi.press_button(user, keyboard.result, "strength:light")
    await botapi.wait_for("editMessageText", lambda c: "Queued, position 1" in c.params["text"], after=mark)
    await botapi.wait_for("answerCallbackQuery", lambda c: "expired" in c.params.get("text", ""), after=mark)
    assert count_requests(sqlite_url) == 1


async def test_an_old_or_forged_button_gets_an_answer(bot: Application, botapi: BotApiStandIn) -> None:  # type: ignore[type-arg]
    user = User(6)
    message = {"message_id": 1, "date": 0, "chat": {"id": user.id, "type": "private"}, "text": "old"}
    for data in ("strength:medium", "strength:ultra'; DROP TABLE requests"):
        mark = botapi.mark()
        botapi.press_button(user, message, data)
        answer = await botapi.wait_for("answerCallbackQuery", after=mark)
        assert says(answer.params["text"], "expired_button"), data


async def test_history_is_empty_for_a_new_user(bot: Application, botapi: BotApiStandIn) -> None:  # type: ignore[type-arg]
    assert "no requests yet" in await reply_to(botapi, lambda: botapi.send_text(User(7), "/history"))


async def queue_one(botapi: BotApiStandIn, user: User, strength: str = "medium") -> dict:  # type: ignore[type-arg]
    keyboard = await send_two_pictures(botapi, user, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    mark = botapi.mark()
    botapi.press_button(user, keyboard.result, f"strength:{strength}")
    status = await botapi.wait_for("editMessageText", lambda c: "Queued" in c.params["text"], after=mark)
    return dict(status.result)


async def test_the_cancel_button_cancels_only_the_owners_request(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
    sqlite_url: str,
) -> None:
    owner, stranger = User(8), User(9)
    status = await queue_one(botapi, owner)
    [[button]] = status["reply_markup"]["inline_keyboard"]
    assert button["text"] == "Cancel" and button["callback_data"] == "cancel:1"

    mark = botapi.mark()
    # Buttons are pressed in the presser's own chat: a stranger can only forge their data.
    botapi.press_button(stranger, {**status, "chat": {"id": stranger.id, "type": "private"}}, "cancel:1")
    await botapi.wait_for("answerCallbackQuery", after=mark)
    refused = await botapi.wait_for(
        "sendMessage", lambda c: int(c.params["chat_id"]) == stranger.id, after=mark
    )
    assert says(refused.params["text"], "not_cancellable")
    assert requests_by_status(sqlite_url) == {"queued": 1}

    mark = botapi.mark()
    botapi.press_button(owner, status, "cancel:1")
    await botapi.wait_for("editMessageText", lambda c: says(c.params["text"], "cancelled_notice"), after=mark)
    assert requests_by_status(sqlite_url) == {"cancelled": 1}
    mark = botapi.mark()
    botapi.press_button(owner, status, "cancel:1")
    again = await botapi.wait_for("sendMessage", after=mark)
    assert says(again.params["text"], "not_cancellable")


async def test_a_user_may_have_only_so_many_requests_waiting(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
    sqlite_url: str,
) -> None:
    user = User(10)
    for _ in range(3):  # MAX_QUEUED_PER_USER's default
        await queue_one(botapi, user)
    keyboard = await send_two_pictures(botapi, user, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    mark = botapi.mark()
    botapi.press_button(user, keyboard.result, "strength:light")
    refusal = await botapi.wait_for("sendMessage", after=mark)
    assert "already have 3 pictures waiting" in refusal.params["text"]
    assert requests_by_status(sqlite_url) == {"queued": 3}


def requests_by_status(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(select(Request.status, func.count()).group_by(Request.status)).all()
    engine.dispose()
    return {status: count for status, count in rows}


async def test_429_is_waited_out_and_the_result_still_arrives_once(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
    sqlite_url: str,
) -> None:
    await add_done_request(sqlite_url, user_id=11)
    botapi.faults["sendPhoto"] = [(429, "Too Many Requests: retry after 2", {"retry_after": 2})]
    await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)
    await asyncio.sleep(1.5)  # another notifier round: nothing more goes out
    refused, sent = botapi.calls_to("sendPhoto")
    assert refused.result is None and sent.result is not None
    assert sent.at - refused.at >= 2.0


async def test_a_user_who_blocked_the_bot_is_recorded_without_a_retry_storm(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
    sqlite_url: str,
) -> None:
    await add_done_request(sqlite_url, user_id=12)
    botapi.faults["sendPhoto"] = [(403, "Forbidden: bot was blocked by the user", None)] * 10
    await botapi.wait_for("sendPhoto")
    await asyncio.sleep(2.5)  # more notifier rounds
    assert len(botapi.calls_to("sendPhoto")) == 1
    engine = create_engine(sqlite_url)
    with Session(engine) as session:
        request = session.scalars(select(Request)).one()
        assert request.delivered_at is not None and request.error == Failure.UNDELIVERABLE
    engine.dispose()
