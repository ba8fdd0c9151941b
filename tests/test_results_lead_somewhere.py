"""Every result leads somewhere, through the Bot API stand-in: a comparison's pictures each become a
result to carry on from, Bigger and the user's current size, the full-quality file and what it adds,
repeated taps answered with the message already there, /history as a contact sheet, the brush."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import create_engine

from bot.texts.catalogue import text
from stylebot.choices import Brush
from stylebot.queue import claim_next_job
from testkit.botapi import BotApiStandIn, User
from testkit.pictures import CAT, WAVES
from tests.harness import (
    add_done_request,
    buttons,
    finish_every_request,
    press,
    requests,
    running_bot,
    said,
    says,
    send_two_pictures,
    text_of,
)


def delivered(request_id: int) -> Any:
    """A predicate: a painting sent with the buttons of `request_id`."""
    return lambda c: c.result is not None and f"reuse:{request_id}:content" in buttons(c)


async def test_a_picked_strength_of_a_comparison_is_a_result_and_sets_no_default(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(61)
    async with running_bot(botapi, sqlite_url):
        done = await add_done_request(sqlite_url, user_id=user.id, compare=True)
        follow_up = await botapi.wait_for(
            "sendMessage", lambda c: c.result is not None and says(text_of(c), "compare_done"), timeout=20
        )
        await said(
            botapi,
            lambda: botapi.press_button(user, follow_up.result, f"pick:{done}:light"),
            "editMessageText",
        )
        status = await said(
            botapi,
            lambda: botapi.press_button(user, follow_up.result, f"again:{done}:weaker:light"),
            predicate=lambda c: says(text_of(c), "queue_position"),
        )
        assert status.params["reply_parameters"]["message_id"] == follow_up.result["message_id"]
        # Stronger from the light picture is the medium one, already in the album: pointed at.
        album = botapi.calls_to("sendMediaGroup")[-1]
        pointer = await said(
            botapi, lambda: botapi.press_button(user, follow_up.result, f"again:{done}:stronger:light")
        )
        assert says(pointer.params["text"], "already_here")
        assert pointer.params["reply_parameters"]["message_id"] == album.result[1]["message_id"]
    _, rerun = requests(sqlite_url)
    assert (rerun.strength, rerun.compare) == ("lightest", False), "Weaker from the light picture"
    settings_rows = await asyncio.to_thread(_default_strength, sqlite_url, user.id)
    assert settings_rows is None, "picking a strength is not setting a default"


def _default_strength(database_url: str, user_id: int) -> str | None:
    from sqlalchemy import create_engine, select

    from stylebot.models import User as UserRow

    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = conn.scalar(select(UserRow.default_strength).where(UserRow.id == user_id))
    engine.dispose()
    return found


async def test_bigger_and_reruns_take_the_current_size(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(62)
    async with running_bot(botapi, sqlite_url, max_queued_per_user=3):
        first = await add_done_request(sqlite_url, user_id=user.id, strength="light")
        photo = await botapi.wait_for("sendPhoto", delivered(first), timeout=20)
        await said(
            botapi,
            lambda: botapi.press_button(user, photo.result, f"again:{first}:bigger:light"),
            predicate=lambda c: says(text_of(c), "queue_position"),
        )
        settings = await said(botapi, lambda: botapi.send_text(user, "/settings"))
        await said(
            botapi,
            lambda: botapi.press_button(user, settings.result, "set:size:large"),
            "editMessageText",
        )
        await said(
            botapi,
            lambda: botapi.press_button(user, photo.result, f"again:{first}:stronger:light"),
            predicate=lambda c: says(text_of(c), "queue_position"),
        )
    _, bigger, stronger = requests(sqlite_url)
    assert (bigger.size, bigger.strength) == ("large", "light")
    assert (stronger.size, stronger.strength) == ("large", "medium"), "the size chosen since, not the old one"


async def test_a_repeated_tap_points_at_the_painting_already_there(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(63)
    async with running_bot(botapi, sqlite_url):
        first = await add_done_request(sqlite_url, user_id=user.id)
        photo = await botapi.wait_for("sendPhoto", delivered(first), timeout=20)
        await said(
            botapi,
            lambda: botapi.press_button(user, photo.result, f"again:{first}:weaker:medium"),
            predicate=lambda c: says(text_of(c), "queue_position"),
        )
        await asyncio.to_thread(finish_every_request, sqlite_url)
        weaker = await botapi.wait_for("sendPhoto", delivered(first + 1), timeout=20)
        mark = botapi.mark()
        pointer = await said(
            botapi, lambda: botapi.press_button(user, photo.result, f"again:{first}:weaker:medium")
        )
        assert says(pointer.params["text"], "already_here")
        assert pointer.params["reply_parameters"]["message_id"] == weaker.result["message_id"]
        # The file: sent once, then pointed at.
        document = await said(
            botapi, lambda: botapi.press_button(user, photo.result, f"file:{first}"), "sendDocument"
        )
        again = await said(botapi, lambda: botapi.press_button(user, photo.result, f"file:{first}"))
        assert says(again.params["text"], "already_here")
        assert again.params["reply_parameters"]["message_id"] == document.result["message_id"]
        assert len([c for c in botapi.calls[mark:] if c.method == "sendDocument"]) == 1
    assert len(requests(sqlite_url)) == 2, "no third painting of the same"
    # A file no bigger than the photo says what it adds, and offers Bigger.
    assert says(document.params["caption"], "file_caption_same_size", width=64, height=43)
    assert f"again:{first}:bigger:medium" in buttons(document)


async def test_a_deleted_painting_is_painted_again_not_pointed_at(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(64)
    async with running_bot(botapi, sqlite_url):
        first = await add_done_request(sqlite_url, user_id=user.id)
        photo = await botapi.wait_for("sendPhoto", delivered(first), timeout=20)
        document = await said(
            botapi, lambda: botapi.press_button(user, photo.result, f"file:{first}"), "sendDocument"
        )
        botapi.delete_by_user(user, document.result)
        await said(botapi, lambda: botapi.press_button(user, photo.result, f"file:{first}"), "sendDocument")


async def test_history_is_a_contact_sheet_whose_numbers_send_a_painting_again(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(65)
    async with running_bot(botapi, sqlite_url):
        first = await add_done_request(
            sqlite_url, user_id=user.id, style_name="Mosaic", style_file_id="gallery:mosaic"
        )
        photo = await botapi.wait_for("sendPhoto", delivered(first), timeout=20)
        second = await add_done_request(sqlite_url, user_id=user.id, strength="strong")
        await botapi.wait_for("sendPhoto", delivered(second), timeout=20)
        sheet = await said(botapi, lambda: botapi.send_text(user, "/history"), "sendPhoto")
        again = await said(
            botapi,
            lambda: botapi.press_button(user, sheet.result, f"hist:{first}"),
            "sendPhoto",
            delivered(first),
        )
    assert set(buttons(sheet)) == {f"hist:{second}", f"hist:{first}"}
    assert says(sheet.params["caption"], "history_line", id=1, strength=text("en", "strength_as_strong"))
    assert says(sheet.params["caption"], "history_line", id=2, style=text("en", "style_mosaic"))
    assert again.params["photo"] == photo.result["photo"][-1]["file_id"], "sent by its file id: no upload"
    assert says(again.params["caption"], "style_mosaic")


async def test_the_brush_under_a_result_in_settings_and_in_the_caption(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(66)
    async with running_bot(botapi, sqlite_url):
        first = await add_done_request(sqlite_url, user_id=user.id)
        photo = await botapi.wait_for("sendPhoto", delivered(first), timeout=20)
        await said(
            botapi,
            lambda: botapi.press_button(user, photo.result, f"again:{first}:finer:medium"),
            predicate=lambda c: says(text_of(c), "queue_position"),
        )
        await asyncio.to_thread(finish_every_request, sqlite_url)
        finer = await botapi.wait_for("sendPhoto", delivered(first + 1), timeout=20)
        finest = await press(botapi, user, finer.result, f"again:{first + 1}:finer:medium")
        settings = await said(botapi, lambda: botapi.send_text(user, "/settings"))
        changed = await said(
            botapi, lambda: botapi.press_button(user, settings.result, "set:brush:coarse"), "editMessageText"
        )
        question = await send_two_pictures(botapi, user, CAT, WAVES)
        await said(
            botapi, lambda: botapi.press_button(user, question.result, "strength:light"), "editMessageText"
        )
    assert says(finer.params["caption"], "brush_caption_fine")
    assert not says(photo.params["caption"], "brush_caption_fine"), "the usual brush goes unsaid"
    assert says(finest.params["text"], "refused_already_finest")
    assert says(changed.params["text"], "settings", brush=text("en", "brush_coarse"))
    assert [r.brush for r in requests(sqlite_url)] == ["medium", "fine", "coarse"]
    # The worker is handed the brush with the job (engine.job passes it on to the engine).
    engine = create_engine(sqlite_url)
    job = claim_next_job(engine, worker="w", lease_seconds=60, max_attempts=3)
    engine.dispose()
    assert job is not None and job.brush == Brush.COARSE
