"""What a result offers, through the Bot API stand-in: its caption, Weaker/Stronger/colours once per
tap, the ends of the ladder, New style and New photo, buttons that are not the presser's or are gone,
the full-quality file, and Compare strengths."""

from __future__ import annotations

import asyncio
import io

from PIL import Image

from bot.texts.catalogue import text
from testkit.botapi import BotApiStandIn, User
from testkit.pictures import CAT, WAVES, cat_photo, jpeg_bytes, style_texture
from tests.harness import (
    ROUNDS_POLL_SECONDS,
    add_done_request,
    asks,
    buttons,
    finish_every_request,
    notifier_rounds,
    press,
    requests,
    running_bot,
    said,
    says,
    send_two_pictures,
    text_of,
)


async def test_a_result_names_its_style_and_strength_and_its_status_goes(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(38)
    async with running_bot(botapi, sqlite_url):
        question = await send_two_pictures(botapi, user, CAT, WAVES)
        status = await said(
            botapi, lambda: botapi.press_button(user, question.result, "strength:light"), "editMessageText"
        )
        await asyncio.to_thread(finish_every_request, sqlite_url)
        photo = await botapi.wait_for(
            "sendPhoto", lambda c: c.result is not None and "again:1:weaker:light" in buttons(c)
        )
        deleted = await botapi.wait_for("deleteMessage")
    assert says(photo.params["caption"], "your_style")
    assert says(photo.params["caption"], "strength_chosen", strength=text("en", "strength_as_light"))
    assert "64×43" not in photo.params["caption"] and "4.2" not in photo.params["caption"], (
        "sizes are in /history"
    )
    assert int(deleted.params["message_id"]) == status.result["message_id"]
    assert botapi.shown(user.id, status.result["message_id"]) is None, "no 'Done' message beside the photo"


async def test_result_buttons_run_it_again_changed_once_per_tap(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(39)
    async with running_bot(botapi, sqlite_url, max_queued_per_user=2):
        first = await add_done_request(
            sqlite_url, user_id=user.id, strength="light", style_name="Mosaic", style_file_id="gallery:mosaic"
        )
        photo = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)
        assert set(buttons(photo)) == {
            f"again:{first}:weaker:light",
            f"again:{first}:stronger:light",
            f"again:{first}:finer:light",
            f"again:{first}:coarser:light",
            f"again:{first}:colors:light",
            f"again:{first}:bigger:light",
            f"reuse:{first}:content",
            f"reuse:{first}:style",
            f"file:{first}",
            f"inline:{first}",
        }
        assert says(photo.params["caption"], "style_mosaic")
        result = photo.result
        mark = botapi.mark()
        botapi.press_button(user, result, f"again:{first}:stronger:light")
        botapi.press_button(user, result, f"again:{first}:stronger:light")  # a quick second tap
        status = await botapi.wait_for(
            "sendMessage", lambda c: c.result is not None and says(text_of(c), "queue_position"), after=mark
        )
        again = await botapi.wait_for(
            "sendMessage",
            lambda c: c.result is not None and says(text_of(c), "refused_already_queued"),
            after=mark,
        )
        assert status.params["reply_parameters"]["message_id"] == result["message_id"]
        assert int(again.params["chat_id"]) == user.id
        # Two taps: one status message and one refusal, nothing more.
        answers = [text_of(c) for c in botapi.calls[mark:] if c.method == "sendMessage" and c.result]
        assert sorted(says(a, "queue_position") for a in answers) == [False, True], answers
        await said(
            botapi,
            lambda: botapi.press_button(user, result, f"again:{first}:colors:light"),
            predicate=asks("queue_position"),
        )
        # The queue is full now (MAX_QUEUED_PER_USER=2): the refusal speaks of the button pressed.
        full = await said(botapi, lambda: botapi.press_button(user, result, f"again:{first}:weaker:light"))
        assert says(
            full.params["text"],
            "refused_queue_full",
            action=text("en", "quoted", label=text("en", "weaker_button")),
        )
    rows = requests(sqlite_url)
    assert [(r.strength, r.keep_colors) for r in rows[1:]] == [("medium", False), ("light", True)]


async def test_the_ends_of_the_strength_ladder_say_so(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(40)
    async with running_bot(botapi, sqlite_url):
        weakest = await add_done_request(sqlite_url, user_id=user.id, strength="lightest")
        photo = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)
        answer = await press(botapi, user, photo.result, f"again:{weakest}:weaker:lightest")
        assert says(answer.params["text"], "refused_already_lightest")
        # A button made before the strength rode in its data: the database says the same.
        told = await press(botapi, user, photo.result, f"again:{weakest}:weaker")
        assert says(told.params["text"], "refused_already_lightest")
    assert len(requests(sqlite_url)) == 1


async def test_new_style_and_new_photo_keep_the_other_picture(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(41)
    other_style, other_photo = jpeg_bytes(style_texture(56)), jpeg_bytes(cat_photo(60))
    async with running_bot(botapi, sqlite_url):
        first = await add_done_request(sqlite_url, user_id=user.id)
        result = (await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)).result
        prompt = await said(
            botapi,
            lambda: botapi.press_button(user, result, f"reuse:{first}:content"),
            "sendPhoto",
            asks("new_style_prompt"),
        )
        assert says(prompt.params["caption"], "new_style_prompt")
        question = await said(
            botapi, lambda: botapi.send_photo(user, other_style), predicate=asks("got_style")
        )
        await said(
            botapi, lambda: botapi.press_button(user, question.result, "strength:strong"), "editMessageText"
        )
        prompt = await said(botapi, lambda: botapi.press_button(user, result, f"reuse:{first}:style"))
        assert says(prompt.params["text"], "new_photo_prompt")
        question = await said(
            botapi, lambda: botapi.send_photo(user, other_photo), predicate=asks("got_photo_same_style")
        )
        await said(
            botapi, lambda: botapi.press_button(user, question.result, "strength:light"), "editMessageText"
        )
    _, new_style, new_photo = requests(sqlite_url)
    assert (new_style.content_image, new_style.strength) == (CAT, "strong") and new_style.style_image != WAVES
    assert (new_photo.style_image, new_photo.strength) == (WAVES, "light") and new_photo.content_image != CAT


async def test_foreign_stale_and_deleted_result_buttons_get_a_clear_answer(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    owner, stranger = User(42), User(43)
    async with running_bot(botapi, sqlite_url):
        mine = await add_done_request(sqlite_url, user_id=owner.id)
        result = (await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)).result
        forged = botapi.in_chat_of(stranger, result)
        for data in (f"again:{mine}:stronger:medium", f"reuse:{mine}:content", f"file:{mine}"):
            told = await said(botapi, lambda d=data: botapi.press_button(stranger, forged, d))
            assert says(told.params["text"], "refused_not_yours"), data
        stale = await add_done_request(sqlite_url, user_id=owner.id, pictures=False)
        photo = await botapi.wait_for(
            "sendPhoto", lambda c: c.result is not None and f"reuse:{stale}:style" in buttons(c)
        )
        for data in (f"again:{stale}:weaker:medium", f"reuse:{stale}:style"):
            told = await said(botapi, lambda d=data: botapi.press_button(owner, photo.result, d))
            assert says(told.params["text"], "refused_pictures_gone"), data
        # After /forget, the old buttons say the picture was deleted, not that it is someone else's.
        prompt = await said(botapi, lambda: botapi.send_text(owner, "/forget"))
        await said(botapi, lambda: botapi.press_button(owner, prompt.result, "forget:yes"), "editMessageText")
        told = await said(botapi, lambda: botapi.press_button(owner, result, f"again:{mine}:stronger:medium"))
        assert says(told.params["text"], "refused_deleted")


async def test_the_full_quality_file_is_one_tap_away(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(44)
    async with running_bot(botapi, sqlite_url, queue_poll_seconds=ROUNDS_POLL_SECONDS) as bot:
        big = await add_done_request(sqlite_url, user_id=user.id, size=(1400, 933))
        photo = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)
        await notifier_rounds(bot)
        assert botapi.calls_to("sendDocument") == [], "a file only when asked for"
        document = await said(
            botapi, lambda: botapi.press_button(user, photo.result, f"file:{big}"), "sendDocument"
        )
    assert says(document.params["caption"], "file_caption", width=1400, height=933)
    with Image.open(io.BytesIO(document.files["document"])) as image:
        assert image.size == (1400, 933)


async def test_compare_strengths_sends_three_side_by_side(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(45)
    async with running_bot(botapi, sqlite_url):
        question = await send_two_pictures(botapi, user, CAT, WAVES)
        status = await said(
            botapi, lambda: botapi.press_button(user, question.result, "compare"), "editMessageText"
        )
        assert says(status.params["text"], "compare_chosen")
        [request] = requests(sqlite_url)
        assert (request.compare, request.strength) == (True, "medium")
        done = await add_done_request(
            sqlite_url, user_id=user.id, compare=True, style_name="Neon", style_file_id="gallery:neon"
        )
        album = await botapi.wait_for("sendMediaGroup", lambda c: c.result is not None, timeout=20)
        follow_up = await botapi.wait_for(
            "sendMessage", lambda c: c.result is not None and says(text_of(c), "compare_done")
        )
        picked = await said(
            botapi,
            lambda: botapi.press_button(user, follow_up.result, f"pick:{done}:strong"),
            "editMessageText",
        )
        document = await said(
            botapi, lambda: botapi.press_button(user, follow_up.result, f"file:{done}:strong"), "sendDocument"
        )
    captions = [item["caption"] for item in album.params["media"]]
    assert captions == [text("en", f"strength_{s}") for s in ("light", "medium", "strong")]
    assert set(buttons(follow_up)) >= {f"pick:{done}:light", f"pick:{done}:medium", f"pick:{done}:strong"}
    assert not any(data.startswith("set:") for data in buttons(follow_up)), "defaults are for /settings"
    assert says(follow_up.params["text"], "compare_done", style="Neon")
    # The strength picked is the result the buttons act on.
    assert {f"again:{done}:weaker:strong", f"file:{done}:strong", f"inline:{done}"} <= set(buttons(picked))
    assert says(picked.params["text"], "compare_picked", strength=text("en", "strength_as_strong"))
    assert document.files["document"]
