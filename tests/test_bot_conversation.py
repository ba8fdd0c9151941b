"""The conversation forgives: restart, swap and retype at any point, through the Bot API stand-in
against the real bot in this process. Assertions are on catalogue keys, not on wording."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import create_engine, func, select

from bot.runtime.service import BotService
from bot.texts.catalogue import text
from stylebot.models import Request
from testkit.botapi import BotApiStandIn, User
from testkit.pictures import CAT, WAVES, cat_photo, jpeg_bytes
from tests.harness import (
    asks,
    buttons,
    press,
    running_bot,
    said,
    says,
    send_two_pictures,
    style_question,
    text_of,
)


@pytest.fixture
async def bot(botapi: BotApiStandIn, sqlite_url: str) -> AsyncIterator[BotService]:
    async with running_bot(botapi, sqlite_url) as service:
        yield service


def requests(database_url: str) -> list[Request]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = list(conn.execute(select(Request).order_by(Request.id)))
    engine.dispose()
    return rows  # type: ignore[return-value]


def count_requests(database_url: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(Request))
    engine.dispose()
    return int(count or 0)


async def test_start_greets_and_help_lists_commands(bot: BotService, botapi: BotApiStandIn) -> None:
    user = User(1)
    greeting = await said(botapi, lambda: botapi.send_text(user, "/start"))
    assert says(greeting.params["text"], "start", name="Ada")
    help_text = (await said(botapi, lambda: botapi.send_text(user, "/help"))).params["text"]
    for command in ("/start", "/cancel", "/history", "/help"):
        assert command in help_text
    await botapi.wait_for("setMyCommands")  # registered at start-up (tests/test_registration.py)


async def test_start_halfway_starts_over(bot: BotService, botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(2)
    await said(botapi, lambda: botapi.send_photo(user, CAT), "sendPhoto", asks("got_content"))
    again = await said(botapi, lambda: botapi.send_text(user, "/start"))
    assert says(again.params["text"], "start", name="Ada"), "/start always starts over"
    # The next picture is the photo again, not the style.
    offer = await style_question(botapi, lambda: botapi.send_photo(user, WAVES))
    assert offer.method == "sendMessage", "the gallery's picture comes once"
    assert {"style:own", "gallery"} <= set(buttons(offer))
    assert count_requests(sqlite_url) == 0


async def test_a_stranger_to_the_bot_who_sends_a_pdf_still_gets_the_instructions(
    bot: BotService, botapi: BotApiStandIn
) -> None:
    user = User(3)
    assert says((await said(botapi, lambda: botapi.send_text(user, "hi"))).params["text"], "idle")
    pdf = await said(
        botapi,
        lambda: botapi.send_document(user, b"%PDF-1.4", mime_type="application/pdf", file_name="a.pdf"),
    )
    assert says(pdf.params["text"], "not_an_image")
    assert says((await said(botapi, lambda: botapi.send_text(user, "/start"))).params["text"], "start")


async def test_wrong_input_at_each_step_says_what_is_expected(bot: BotService, botapi: BotApiStandIn) -> None:
    user = User(4)
    await said(botapi, lambda: botapi.send_text(user, "/start"))
    assert says(
        (await said(botapi, lambda: botapi.send_text(user, "hello"))).params["text"], "expect_content"
    )
    assert says((await said(botapi, lambda: botapi.send_sticker(user))).params["text"], "expect_content")
    await said(botapi, lambda: botapi.send_photo(user, CAT), "sendPhoto", asks("got_content"))
    assert says(
        (await said(botapi, lambda: botapi.send_text(user, "what now?"))).params["text"], "expect_style"
    )
    await said(botapi, lambda: botapi.send_photo(user, WAVES), predicate=asks("got_style"))
    # Strength words in a sentence are no answer (tests/test_typed_answers.py has the answers).
    reminder = await said(botapi, lambda: botapi.send_text(user, "the light in it is too strong"))
    assert says(reminder.params["text"], "expect_strength")


@pytest.mark.parametrize(
    ("typed", "language", "strength"),
    [("medium", "en", "medium"), ("3", "en", "medium"), ("Сильно", "ru", "strong"), ("强", "zh", "strong")],
)
async def test_a_typed_strength_works_where_a_button_does(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str, typed: str, language: str, strength: str
) -> None:
    user = User(5, language_code=language)
    await said(botapi, lambda: botapi.send_photo(user, CAT), "sendPhoto", asks("got_content", language))
    await said(botapi, lambda: botapi.send_photo(user, WAVES), predicate=asks("got_style", language))
    status = await said(botapi, lambda: botapi.send_text(user, typed))
    assert says(status.params["text"], "queue_position", language)
    [request] = requests(sqlite_url)
    assert request.strength == strength


async def test_swap_exchanges_the_photo_and_the_style(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(6)
    question = await send_two_pictures(botapi, user, WAVES, CAT, start=False)  # painting first: a mix-up
    assert {"swap", "compare"} <= set(buttons(question))
    swapped = await said(
        botapi, lambda: botapi.press_button(user, question.result, "swap"), "editMessageText"
    )
    assert says(swapped.params["text"], "swapped") and "strength:medium" in buttons(swapped)
    await said(
        botapi, lambda: botapi.press_button(user, question.result, "strength:light"), "editMessageText"
    )
    [request] = requests(sqlite_url)
    sent_photo, sent_style = [c for c in botapi.calls if c.method == "getFile"][:2]
    assert request.style_file_id == sent_photo.params["file_id"], "the first picture became the style"
    assert request.content_file_id == sent_style.params["file_id"]


@pytest.mark.parametrize("part", ["content", "style"])
async def test_a_picture_at_the_strength_question_asks_which_one_it_replaces(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str, part: str
) -> None:
    user = User(7)
    question = await send_two_pictures(botapi, user, CAT, WAVES)
    other = jpeg_bytes(cat_photo(56))
    which = await said(botapi, lambda: botapi.send_photo(user, other), predicate=asks("which_picture"))
    assert set(buttons(which)) == {"which:content", "which:style"}
    asked = await said(
        botapi, lambda: botapi.press_button(user, which.result, f"which:{part}"), "editMessageText"
    )
    assert says(asked.params["text"], f"replaced_{part}") and "strength:strong" in buttons(asked)
    # The old question's buttons go: one open question at a time.
    assert botapi.shown(user.id, question.result["message_id"]).markup == "null"  # type: ignore[union-attr]
    await said(botapi, lambda: botapi.press_button(user, which.result, "strength:strong"), "editMessageText")
    [request] = requests(sqlite_url)
    new_file = [c for c in botapi.calls if c.method == "getFile"][-1].params["file_id"]
    assert (request.content_file_id if part == "content" else request.style_file_id) == new_file
    assert request.strength == "strong"


async def test_a_double_tap_makes_one_request_and_is_told_already_on_it(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(8)
    question = await send_two_pictures(botapi, user, CAT, WAVES)
    mark = botapi.mark()
    botapi.press_button(user, question.result, "strength:light")
    botapi.press_button(user, question.result, "strength:light")
    await botapi.wait_for("editMessageText", asks("queue_position"), after=mark)
    second = await botapi.wait_for("answerCallbackQuery", lambda c: "text" in c.params, after=mark)
    assert says(second.params["text"], "already_on_it")
    assert count_requests(sqlite_url) == 1


async def test_a_gallery_pick_after_sending_a_style_replaces_it(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(9)
    await said(botapi, lambda: botapi.send_text(user, "/start"))
    offer = await said(botapi, lambda: botapi.send_photo(user, CAT), "sendPhoto", asks("got_content"))
    await said(botapi, lambda: botapi.send_photo(user, WAVES), predicate=asks("got_style"))
    [gallery_button] = [data for data in buttons(offer) if data.startswith("style:g:")][:1]
    question = await said(
        botapi, lambda: botapi.press_button(user, offer.result, gallery_button), predicate=asks("got_style")
    )
    await said(
        botapi, lambda: botapi.press_button(user, question.result, "strength:medium"), "editMessageText"
    )
    [request] = requests(sqlite_url)
    assert request.style_file_id == gallery_button.replace("style:g:", "gallery:")


async def test_cancel_takes_the_buttons_away_and_says_one_thing(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(10)
    nothing = await said(botapi, lambda: botapi.send_text(user, "/cancel"))
    assert says(nothing.params["text"], "nothing_to_cancel")
    question = await send_two_pictures(botapi, user, CAT, WAVES)
    mark = botapi.mark()
    botapi.send_text(user, "/cancel")
    await botapi.wait_for(
        "editMessageReplyMarkup",
        lambda c: int(c.params["message_id"]) == question.result["message_id"] and c.result is not None,
        after=mark,
    )
    told = await botapi.wait_for("sendMessage", after=mark)
    assert says(told.params["text"], "cancelled_notice")
    late = await press(botapi, user, question.result, "strength:medium")
    assert says(late.params["text"], "question_closed")
    assert count_requests(sqlite_url) == 0

    # With a request waiting: its status says "Cancelled", one reply, and no internal number in either.
    question = await send_two_pictures(botapi, user, CAT, WAVES)
    status = await said(
        botapi, lambda: botapi.press_button(user, question.result, "strength:medium"), "editMessageText"
    )
    mark = botapi.mark()
    botapi.send_text(user, "/cancel")
    edited = await botapi.wait_for("editMessageText", asks("status_cancelled_line"), after=mark)
    reply = await botapi.wait_for("sendMessage", after=mark)
    assert int(edited.params["message_id"]) == status.result["message_id"] and says(
        edited.params["text"], "status_cancelled_line"
    )
    assert says(reply.params["text"], "cancelled_notice") and "#" not in reply.params["text"]
    assert [c.method for c in botapi.calls[mark:] if c.method == "sendMessage"] == ["sendMessage"]
    assert [r.status for r in requests(sqlite_url)] == ["cancelled"]


async def test_old_and_forged_buttons_get_an_answer(bot: BotService, botapi: BotApiStandIn) -> None:
    user = User(11)
    message = {"message_id": 1, "date": 0, "chat": {"id": user.id, "type": "private"}, "text": "old"}
    for data, key in (
        ("strength:medium", "question_closed"),
        ("strength:ultra'; DROP TABLE requests", "expired_button"),
    ):
        await said(botapi, lambda: botapi.send_text(user, "/start"))  # the draft is known: answered at once
        answer = await press(botapi, user, message, data)
        assert says(answer.params["text"], key), data


async def test_the_cancel_button_cancels_only_the_owners_request(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str
) -> None:
    owner, stranger = User(12), User(13)
    question = await send_two_pictures(botapi, owner, CAT, WAVES)
    status = (
        await said(
            botapi, lambda: botapi.press_button(owner, question.result, "strength:medium"), "editMessageText"
        )
    ).result
    [[cancel]] = status["reply_markup"]["inline_keyboard"]
    assert cancel["text"] == text("en", "cancel_button")
    refused = await said(
        botapi,
        lambda: botapi.press_button(stranger, botapi.in_chat_of(stranger, status), cancel["callback_data"]),
    )
    assert int(refused.params["chat_id"]) == stranger.id and says(refused.params["text"], "not_cancellable")
    assert [r.status for r in requests(sqlite_url)] == ["queued"]
    await said(
        botapi,
        lambda: botapi.press_button(owner, status, cancel["callback_data"]),
        "editMessageText",
        asks("status_cancelled_line"),
    )
    assert [r.status for r in requests(sqlite_url)] == ["cancelled"]


async def test_a_full_queue_names_the_button_that_was_pressed(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(14)
    botapi.flood.enabled = False  # sixteen messages to one chat: Telegram's pace is not what this is about
    for strength in ("light", "medium", "strong"):  # MAX_QUEUED_PER_USER's default is 3
        question = await send_two_pictures(botapi, user, CAT, WAVES)
        await said(
            botapi,
            lambda q=question, s=strength: botapi.press_button(user, q.result, f"strength:{s}"),
            "editMessageText",
        )
    question = await send_two_pictures(botapi, user, CAT, WAVES)
    refusal = await said(
        botapi,
        lambda: botapi.press_button(user, question.result, "strength:strong"),
        predicate=asks("refused_queue_full"),
    )
    assert says(refusal.params["text"], "refused_queue_full", limit=3, action="“Strong”")
    assert "strength:light" in buttons(refusal), "the question is asked again, for when a place is free"
    assert count_requests(sqlite_url) == 3


async def test_two_users_at_once_get_different_places_and_later_places_longer_waits(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str
) -> None:
    from tests.harness import add_done_request

    for seconds in (6.0, 6.0, 6.0):  # the estimate's median job
        await add_done_request(sqlite_url, user_id=99, seconds=seconds)
    users = [User(20 + n) for n in range(3)]
    questions = [await send_two_pictures(botapi, user, CAT, WAVES) for user in users]
    mark = botapi.mark()
    for user, question in zip(users, questions, strict=True):
        botapi.press_button(user, question.result, "strength:medium")
    statuses = {}
    for user in users:
        call = await botapi.wait_for(
            "editMessageText", lambda c, u=user: int(c.params["chat_id"]) == u.id, after=mark
        )
        statuses[user.id] = text_of(call)
    places = sorted(
        next(n for n in range(1, 4) if says(statuses[u.id], "queue_position", position=n)) for u in users
    )
    assert places == [1, 2, 3], statuses
    waits = [next(s for s in statuses.values() if says(s, "queue_position", position=n)) for n in (1, 2, 3)]
    assert len({w.split("\n")[-1] for w in waits}) == 3, f"each place its own estimate: {waits}"


async def test_a_button_answered_too_late_for_telegram_still_does_its_work(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str
) -> None:
    """Telegram refuses an answer to a press that is too old (one made while the bot was down): the
    answer only stops a spinner long gone, so the press goes on."""
    user = User(30)
    question = await send_two_pictures(botapi, user, CAT, WAVES)
    botapi.queries.answer_within = 0.0
    mark = botapi.mark()
    botapi.press_button(user, question.result, "strength:light")
    refused = await botapi.wait_for("answerCallbackQuery", after=mark)
    status = await botapi.wait_for("editMessageText", asks("queue_position"), after=mark)
    assert refused.result is None and status.result is not None
    assert [r.strength for r in requests(sqlite_url)] == ["light"]
