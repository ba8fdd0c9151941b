"""What makes people keep using the bot, through the Bot API stand-in: result buttons, album,
gallery, caption strength, settings, quota, allow-list, /stats, and a restart mid-conversation."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.gallery.artwork import BUILT_INS
from bot.texts.catalogue import text
from stylebot.models import Request, Worker, utcnow
from stylebot.models import User as UserRow
from testkit.botapi import BotApiStandIn, Call, User
from tests.conftest import cat_photo, jpeg_bytes, png_bytes, style_texture
from tests.harness import CAT, WAVES, add_done_request, running_bot, says, send_two_pictures


def requests(database_url: str) -> list[Request]:
    engine = create_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        found = list(session.scalars(select(Request).order_by(Request.id)))
    engine.dispose()
    return found


def buttons(call: Call) -> dict[str, str]:
    """The inline keyboard of a sent message: callback data -> label."""
    markup = call.params.get("reply_markup") or {}
    return {b["callback_data"]: b["text"] for row in markup.get("inline_keyboard", []) for b in row}


async def said(botapi: BotApiStandIn, action: Any, method: str = "sendMessage", **kwargs: Any) -> Call:
    mark = botapi.mark()
    action()
    return await botapi.wait_for(method, after=mark, **kwargs)


async def press(botapi: BotApiStandIn, user: User, message: dict[str, Any], data: str) -> Call:
    """Presses a button; returns the popup answer (answerCallbackQuery)."""
    return await said(botapi, lambda: botapi.press_button(user, message, data), "answerCallbackQuery")


async def test_an_album_gives_content_then_style_in_one_go(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(31)
    async with running_bot(botapi, sqlite_url):
        mark = botapi.mark()
        botapi.send_photo(user, CAT, media_group_id="album-1")
        botapi.send_photo(user, WAVES, media_group_id="album-1")
        keyboard = await botapi.wait_for("sendMessage", lambda c: "reply_markup" in c.params, after=mark)
        assert "first is the photo, the second the style" in keyboard.params["text"]
        assert not [c for c in botapi.calls[mark:] if "Got the photo" in c.params.get("text", "")]
        extra = await said(botapi, lambda: botapi.send_photo(user, CAT, media_group_id="album-1"))
        assert "first two pictures" in extra.params["text"]

        await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:light"), "editMessageText"
        )
    [request] = requests(sqlite_url)
    assert (request.content_image, request.style_image, request.strength) == (CAT, WAVES, "light")


async def test_a_caption_names_the_strength_and_skips_the_question(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    english, russian = User(32), User(33, language_code="ru")
    async with running_bot(botapi, sqlite_url):
        await said(botapi, lambda: botapi.send_photo(english, CAT))
        status = await said(botapi, lambda: botapi.send_photo(english, WAVES, caption="Strong!"))
        assert "Queued, position 1" in status.params["text"] and "Strength: Strong" in status.params["text"]
        assert buttons(status) == {"cancel:1": "Cancel"}
        english_status = status.result["message_id"]

        await said(botapi, lambda: botapi.send_photo(russian, CAT, caption="5"))  # on the content photo
        status = await said(botapi, lambda: botapi.send_photo(russian, WAVES))
        assert "В очереди" in status.params["text"] and "Сильнее всего" in status.params["text"]
    assert [r.strength for r in requests(sqlite_url)] == ["strong", "strongest"]
    # The notifier edits the message that was sent, so its id is recorded with the request.
    assert requests(sqlite_url)[0].status_message_id == english_status


async def test_gallery_styles_and_recent_styles_are_offered_as_buttons(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "gallery"
    folder.mkdir()
    starry = png_bytes(style_texture(48))
    (folder / "starry_night.png").write_bytes(starry)
    (folder / "blue-waves.jpg").write_bytes(jpeg_bytes(style_texture(40)))
    (folder / "notes.txt").write_text("not a picture")
    user = User(34)
    async with running_bot(botapi, sqlite_url, style_gallery_dir=folder):
        offer = await said(botapi, lambda: botapi.send_photo(user, CAT))
        offered = buttons(offer)
        # The folder's pictures first, then the built-in styles.
        assert list(offered.values()) == [
            "Blue waves",
            "Starry night",
            *(art.name for art in BUILT_INS),
            "📎 Send my own",
        ]
        assert "pick one" in offer.params["text"]
        [starry_key] = [data for data, label in offered.items() if label == "Starry night"]
        assert len(starry_key.encode()) <= 64

        hint = await press(botapi, user, offer.result, "style:own")
        assert "as a photo or an image file" in hint.params["text"]
        mark = botapi.mark()
        botapi.press_button(user, offer.result, starry_key)
        keyboard = await botapi.wait_for("sendMessage", lambda c: "reply_markup" in c.params, after=mark)
        assert "How strong" in keyboard.params["text"]
        await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:medium"), "editMessageText"
        )

        # A style of their own, then: next time it is offered among the recent ones.
        keyboard = await send_two_pictures(botapi, user, CAT, WAVES)
        await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:medium"), "editMessageText"
        )
        offer = await said(botapi, lambda: botapi.send_photo(user, CAT))
        assert buttons(offer)["style:r:2"] == "↺ My style #2"
        assert "style:r:1" not in buttons(offer), "a gallery style is offered once, as the gallery's"
        mark = botapi.mark()
        botapi.press_button(user, offer.result, "style:r:2")
        keyboard = await botapi.wait_for("sendMessage", lambda c: "reply_markup" in c.params, after=mark)
        await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:light"), "editMessageText"
        )
        # A stranger cannot take this user's style by forging the button.
        stranger = User(35)
        offer = await said(botapi, lambda: botapi.send_photo(stranger, CAT))
        mark = botapi.mark()
        botapi.press_button(stranger, offer.result, "style:r:2")
        refused = await botapi.wait_for(
            "sendMessage", lambda c: int(c.params["chat_id"]) == stranger.id, after=mark
        )
        assert says(refused.params["text"], "refused_not_yours")
    first, second, third = requests(sqlite_url)
    assert (first.style_image, first.style_name, first.style_file_id) == (
        starry,
        "Starry night",
        starry_key.replace("style:g:", "gallery:"),
    )
    assert (second.style_image, second.style_name) == (WAVES, None)
    assert (third.style_image, third.strength) == (WAVES, "light")


async def test_result_buttons_run_it_again_changed(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(36)
    async with running_bot(botapi, sqlite_url):
        first = await add_done_request(sqlite_url, user_id=user.id, strength="light")
        photo = await botapi.wait_for("sendPhoto", timeout=20)
        assert set(buttons(photo)) == {
            f"again:{first}:weaker:light",
            f"again:{first}:stronger:light",
            f"again:{first}:colors:light",
            f"reuse:{first}:content",
            f"reuse:{first}:style",
        }
        assert buttons(photo)[f"again:{first}:colors:light"] == text("en", "colors_off_button")
        result = photo.result

        status = await said(
            botapi, lambda: botapi.press_button(user, result, f"again:{first}:stronger:light")
        )
        assert says(status.params["text"], "strength_chosen", strength=text("en", "strength_medium"))
        assert says(status.params["text"], "queue_position_wait") or says(
            status.params["text"], "queue_position"
        )
        assert status.params["reply_parameters"]["message_id"] == result["message_id"]
        await said(botapi, lambda: botapi.press_button(user, result, f"again:{first}:colors:light"))
        await said(botapi, lambda: botapi.press_button(user, result, f"again:{first}:weaker"))
        lightest = requests(sqlite_url)[-1]
        assert lightest.strength == "lightest"
    rows = requests(sqlite_url)
    assert [(r.strength, r.keep_colors) for r in rows[1:]] == [
        ("medium", False),
        ("light", True),
        ("lightest", False),
    ]
    assert all((r.content_image, r.style_image) == (CAT, WAVES) for r in rows)


async def test_the_ends_of_the_strength_ladder_say_so(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(37)
    async with running_bot(botapi, sqlite_url):
        weakest = await add_done_request(sqlite_url, user_id=user.id, strength="lightest")
        photo = await botapi.wait_for("sendPhoto", timeout=20)
        answer = await press(botapi, user, photo.result, f"again:{weakest}:weaker:lightest")
        assert says(answer.params["text"], "refused_already_lightest")
        # A button from before the strength rode along in its data: the database says the same.
        mark = botapi.mark()
        botapi.press_button(user, photo.result, f"again:{weakest}:weaker")
        told = await botapi.wait_for("sendMessage", after=mark)
        assert says(told.params["text"], "refused_already_lightest")
        strongest = await add_done_request(sqlite_url, user_id=user.id, strength="strongest")
        photo = await botapi.wait_for("sendPhoto", lambda c: f"again:{strongest}:" in str(buttons(c)))
        answer = await press(botapi, user, photo.result, f"again:{strongest}:stronger:strongest")
        assert says(answer.params["text"], "refused_already_strongest")
    assert len(requests(sqlite_url)) == 2


async def test_new_style_and_new_photo_keep_the_other_picture(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(38)
    other_style = png_bytes(style_texture(56))
    other_photo = jpeg_bytes(cat_photo(60))
    async with running_bot(botapi, sqlite_url):
        first = await add_done_request(sqlite_url, user_id=user.id)
        result = (await botapi.wait_for("sendPhoto", timeout=20)).result

        prompt = await said(botapi, lambda: botapi.press_button(user, result, f"reuse:{first}:content"))
        assert "new style picture for the same photo" in prompt.params["text"]
        keyboard = await said(botapi, lambda: botapi.send_photo(user, other_style))
        await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:strong"), "editMessageText"
        )

        prompt = await said(botapi, lambda: botapi.press_button(user, result, f"reuse:{first}:style"))
        assert "new photo" in prompt.params["text"]
        keyboard = await said(botapi, lambda: botapi.send_photo(user, other_photo))
        assert "Got the photo. How strong" in keyboard.params["text"]
        await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:light"), "editMessageText"
        )
    _, new_style, new_photo = requests(sqlite_url)
    assert (new_style.content_image, new_style.style_image, new_style.strength) == (
        CAT,
        other_style,
        "strong",
    )
    assert (new_photo.content_image, new_photo.style_image, new_photo.strength) == (
        other_photo,
        WAVES,
        "light",
    )


async def test_foreign_and_stale_result_buttons_get_a_clear_answer(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    owner, stranger = User(39), User(40)
    async with running_bot(botapi, sqlite_url):
        mine = await add_done_request(sqlite_url, user_id=owner.id)
        result = (await botapi.wait_for("sendPhoto", timeout=20)).result
        expected = {
            f"again:{mine}:stronger:medium": "refused_not_yours",
            f"reuse:{mine}:content": "refused_not_yours",
            "again:999999:weaker:medium": "refused_deleted",
        }
        # Buttons are pressed in the presser's own chat: a stranger can only forge their data.
        forged = {**result, "chat": {"id": stranger.id, "type": "private"}}
        for data, key in expected.items():
            mark = botapi.mark()
            botapi.press_button(stranger, forged, data)
            told = await botapi.wait_for(
                "sendMessage", lambda c: int(c.params["chat_id"]) == stranger.id, after=mark
            )
            assert says(told.params["text"], key), data

        stale = await add_done_request(sqlite_url, user_id=owner.id, pictures=False)
        result = (
            await botapi.wait_for(
                "sendPhoto", lambda c: f"again:{stale}:weaker:medium" in buttons(c), timeout=20
            )
        ).result
        for data in (f"again:{stale}:weaker:medium", f"reuse:{stale}:style"):
            told = await said(botapi, lambda d=data: botapi.press_button(owner, result, d))
            assert says(told.params["text"], "refused_pictures_gone"), data
        # The bot is still fine: the owner's other result still works.
        status = await said(
            botapi, lambda: botapi.press_button(owner, result, f"again:{mine}:stronger:medium")
        )
        assert says(status.params["text"], "queue_position_wait") or says(
            status.params["text"], "queue_position"
        )
    assert len(requests(sqlite_url)) == 3


async def test_a_result_larger_than_telegram_shows_is_also_sent_as_a_file(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(botapi, sqlite_url):
        await add_done_request(sqlite_url, user_id=41, size=(64, 43))
        await botapi.wait_for("sendPhoto", timeout=20)
        await asyncio.sleep(1.5)  # another notifier round: a small result is not sent as a file
        assert botapi.calls_to("sendDocument") == []
        big = await add_done_request(sqlite_url, user_id=41, size=(1400, 933))
        document = await botapi.wait_for("sendDocument", timeout=20)
    photos = botapi.calls_to("sendPhoto")
    assert len(photos) == 2 and f"again:{big}:stronger:medium" in buttons(photos[1])
    assert "1400×933" in document.params["caption"]
    with Image.open(io.BytesIO(document.files["document"])) as image:
        assert image.size == (1400, 933)


async def test_settings_change_the_next_request(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(42)
    async with running_bot(botapi, sqlite_url):
        shown = await said(botapi, lambda: botapi.send_text(user, "/settings"))
        assert "Strength: Ask me" in shown.params["text"] and "Size: Standard" in shown.params["text"]
        assert buttons(shown)["set:strength:ask"] == "✓ Ask me"
        message = shown.result
        for data in ("set:strength:strong", "set:size:large", "set:colors:on"):
            await said(botapi, lambda d=data: botapi.press_button(user, message, d), "editMessageText")
        edited = botapi.calls_to("editMessageText")[-1]
        assert "Strength: Strong" in edited.params["text"] and "Size: Large" in edited.params["text"]
        assert "Keep the photo's colours: on" in edited.params["text"]
        assert buttons(edited)["set:strength:strong"] == "✓ Strong"
        again = await said(botapi, lambda: botapi.send_text(user, "/settings"))
        assert again.params["text"] == edited.params["text"]

        await said(botapi, lambda: botapi.send_photo(user, CAT))
        status = await said(botapi, lambda: botapi.send_photo(user, WAVES))
        assert "Queued" in status.params["text"], "a default strength skips the question"
    [request] = requests(sqlite_url)
    assert (request.strength, request.size, request.keep_colors) == ("strong", "large", True)


async def test_each_language_and_language_command(botapi: BotApiStandIn, sqlite_url: str) -> None:
    russian, chinese, unknown = (
        User(43, language_code="ru"),
        User(44, language_code="zh-hans"),
        User(45, language_code="de"),
    )
    async with running_bot(botapi, sqlite_url):
        assert "Привет" in (await said(botapi, lambda: botapi.send_text(russian, "/start"))).params["text"]
        assert "你好" in (await said(botapi, lambda: botapi.send_text(chinese, "/start"))).params["text"]
        assert "Hi Ada" in (await said(botapi, lambda: botapi.send_text(unknown, "/start"))).params["text"]

        prompt = await said(botapi, lambda: botapi.send_text(russian, "/language"))
        assert buttons(prompt) == {"lang:en": "English", "lang:ru": "✓ Русский", "lang:zh": "中文"}
        chosen = await said(
            botapi, lambda: botapi.press_button(russian, prompt.result, "lang:zh"), "editMessageText"
        )
        assert chosen.params["text"] == "从现在起我说中文。"
        assert "使用方法" in (await said(botapi, lambda: botapi.send_text(russian, "/help"))).params["text"]
    languages = {c.params.get("language_code") for c in botapi.calls_to("setMyCommands")}
    assert languages == {None, "en", "ru", "zh"}
    ru_commands = next(c for c in botapi.calls_to("setMyCommands") if c.params.get("language_code") == "ru")
    assert {c["command"] for c in ru_commands.params["commands"]} >= {"start", "settings", "language"}
    assert ru_commands.params["commands"][0]["description"] == "Новая картина"


async def test_the_daily_quota_says_when_it_resets(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(46)
    async with running_bot(botapi, sqlite_url, daily_quota=1):
        keyboard = await send_two_pictures(botapi, user, CAT, WAVES)
        await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:light"), "editMessageText"
        )
        keyboard = await send_two_pictures(botapi, user, CAT, WAVES)
        refusal = await said(botapi, lambda: botapi.press_button(user, keyboard.result, "strength:light"))
        assert "1 pictures today, the daily limit" in refusal.params["text"]
        assert "resets at midnight UTC, in" in refusal.params["text"]
    assert len(requests(sqlite_url)) == 1


async def test_the_allow_list_keeps_strangers_out(botapi: BotApiStandIn, sqlite_url: str) -> None:
    friend, stranger = User(47), User(48)
    async with running_bot(botapi, sqlite_url, allowed_user_ids=[47]):
        assert (
            "I turn photos" in (await said(botapi, lambda: botapi.send_text(friend, "/start"))).params["text"]
        )
        refusal = await said(botapi, lambda: botapi.send_photo(stranger, CAT))
        assert "this bot is private" in refusal.params["text"] and "48" in refusal.params["text"]
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        assert list(conn.scalars(select(UserRow.id))) == [47], "nothing is recorded about a stranger"
    engine.dispose()


async def test_stats_for_an_admin_and_a_refusal_for_others(botapi: BotApiStandIn, sqlite_url: str) -> None:
    admin, user = User(49), User(50)
    async with running_bot(botapi, sqlite_url, admin_user_ids=[49], allowed_user_ids=[50]):
        await add_done_request(sqlite_url, user_id=50, seconds=10.0)
        await add_done_request(sqlite_url, user_id=50, seconds=30.0)
        engine = create_engine(sqlite_url)
        with Session(engine) as session, session.begin():
            session.add(Worker(name="gpu-box:1", device="cuda", started_at=utcnow(), seen_at=utcnow()))
            old = utcnow() - timedelta(minutes=5)
            session.add(Worker(name="gone:2", device="cpu", started_at=old, seen_at=old))
        engine.dispose()
        refusal = await said(botapi, lambda: botapi.send_text(user, "/stats"))
        assert "for the bot's administrators" in refusal.params["text"]
        figures = (await said(botapi, lambda: botapi.send_text(admin, "/stats"))).params["text"]
    assert "Users: 2" in figures  # the admin and the user (the allow-list lets admins in)
    assert "Requests today: 2, in total: 2" in figures
    assert "Queue: 0 waiting, 0 running" in figures
    assert "median 20.0 s, 95th percentile 30.0 s" in figures
    assert "Failures today: 0, in total: 0" in figures
    assert "Workers seen in the last minute: 1 (gpu-box:1)" in figures


async def test_the_status_estimates_the_wait_from_recent_jobs(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(51)
    async with running_bot(botapi, sqlite_url):
        for seconds in (20.0, 25.0, 30.0):
            await add_done_request(sqlite_url, user_id=99, seconds=seconds)
        keyboard = await send_two_pictures(botapi, user, CAT, WAVES)
        status = await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:light"), "editMessageText"
        )
    assert "Queued, position 1: about 30 s to wait." in status.params["text"]


async def test_a_conversation_survives_a_restart_of_the_bot(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(52)
    async with running_bot(botapi, sqlite_url):
        await said(botapi, lambda: botapi.send_text(user, "/start"))
        got = await said(botapi, lambda: botapi.send_photo(user, CAT, caption="light"))
        assert "Got the photo" in got.params["text"]
    async with running_bot(botapi, sqlite_url):
        status = await said(botapi, lambda: botapi.send_photo(user, WAVES))
        assert "Queued" in status.params["text"], status.params["text"]
    [request] = requests(sqlite_url)
    assert (request.content_image, request.style_image, request.strength) == (CAT, WAVES, "light")
