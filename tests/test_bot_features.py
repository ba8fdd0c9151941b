"""What makes people keep using the bot, through the Bot API stand-in: albums, captions, the gallery
and its preview, recent styles, settings, languages, limits, /stats, and a conversation that
survives a restart. (The buttons under a result: tests/test_result_buttons.py.)"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.gallery.artwork import BUILT_INS
from bot.texts.catalogue import text
from stylebot.models import User as UserRow
from stylebot.models import Worker, utcnow
from testkit.botapi import BotApiStandIn, User
from testkit.pictures import CAT, WAVES, jpeg_bytes, png_bytes, style_texture
from tests.harness import (
    add_done_request,
    asks,
    buttons,
    requests,
    running_bot,
    said,
    says,
    send_two_pictures,
    text_of,
)


async def test_an_album_of_three_says_first_two_before_the_question(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(31)
    async with running_bot(botapi, sqlite_url):
        mark = botapi.mark()
        botapi.send_album(user, [CAT, WAVES, CAT], media_group_id="album-1")
        question = await botapi.wait_for(
            "sendMessage", lambda c: c.result is not None and "reply_markup" in c.params, after=mark
        )
        assert says(question.params["text"], "got_both")
        told = [
            text_of(c) for c in botapi.calls[mark:] if c.method in ("sendMessage", "sendPhoto") and c.result
        ]
        assert [says(t, "album_extra") for t in told] == [True, False], told  # the note, then the question
        await said(
            botapi, lambda: botapi.press_button(user, question.result, "strength:light"), "editMessageText"
        )
        # A later picture of the same album is not a new photo, and is not noted twice.
        await said(botapi, lambda: botapi.send_text(user, "/history"))
    [request] = requests(sqlite_url)
    assert request.strength == "light"
    assert not [c for c in botapi.calls[mark:] if says(text_of(c), "got_content")]


async def test_a_caption_names_the_strength_and_skips_the_question(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    english, russian = User(32), User(33, language_code="ru")
    async with running_bot(botapi, sqlite_url):
        await said(botapi, lambda: botapi.send_photo(english, CAT), "sendPhoto")
        status = await said(botapi, lambda: botapi.send_photo(english, WAVES, caption="Strong!"))
        assert says(status.params["text"], "queue_position")
        assert says(status.params["text"], "strength_chosen", strength=text("en", "strength_as_strong"))
        assert set(buttons(status)) == {"cancel:1"}
        english_status = status.result["message_id"]
        await said(botapi, lambda: botapi.send_photo(russian, CAT, caption="5"), "sendPhoto")  # on the photo
        status = await said(botapi, lambda: botapi.send_photo(russian, WAVES))
        assert says(status.params["text"], "strength_chosen", "ru", strength="самая сильная")
    assert [r.strength for r in requests(sqlite_url)] == ["strong", "strongest"]
    assert requests(sqlite_url)[0].status_message_id == english_status


async def test_the_gallery_is_shown_as_one_numbered_picture_uploaded_once(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "gallery"
    folder.mkdir()
    starry = png_bytes(style_texture(48))
    (folder / "starry_night.png").write_bytes(starry)
    (folder / "notes.txt").write_text("not a picture")
    first, second = User(34), User(35, language_code="ru")
    async with running_bot(botapi, sqlite_url, style_gallery_dir=folder):
        offer = await said(botapi, lambda: botapi.send_photo(first, CAT), "sendPhoto", asks("got_content"))
        labels = list(buttons(offer).values())
        expected = ["1. Starry night"] + [f"{n}. {a.name}" for n, a in enumerate(BUILT_INS, start=2)]
        assert labels == [*expected, text("en", "send_own_button")]
        assert "photo" in offer.files, "the preview is uploaded the first time"
        with Image.open(io.BytesIO(offer.files["photo"])) as preview:
            assert preview.width > 600
        again = await said(
            botapi, lambda: botapi.send_photo(second, CAT), "sendPhoto", asks("got_content", "ru")
        )
        assert "photo" not in again.files and again.params["photo"] == offer.result["photo"][-1]["file_id"]
        assert f"2. {text('ru', 'style_' + BUILT_INS[0].slug)}" in buttons(again).values(), "names translated"

        [starry_key] = [data for data, label in buttons(offer).items() if label == "1. Starry night"]
        question = await said(
            botapi, lambda: botapi.press_button(first, offer.result, starry_key), predicate=asks("got_style")
        )
        await said(
            botapi, lambda: botapi.press_button(first, question.result, "strength:medium"), "editMessageText"
        )
    [request] = requests(sqlite_url)
    assert (request.style_image, request.style_name, request.style_file_id) == (
        starry,
        "Starry night",
        starry_key.replace("style:g:", "gallery:"),
    )


async def test_recent_styles_are_offered_once_each_as_pictures(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user, stranger = User(36), User(37)
    other_style = jpeg_bytes(style_texture(56))
    async with running_bot(botapi, sqlite_url, max_queued_per_user=5):
        for style in (WAVES, other_style, WAVES):  # the same picture twice
            question = await send_two_pictures(botapi, user, CAT, style)
            await said(
                botapi,
                lambda q=question: botapi.press_button(user, q.result, "strength:medium"),
                "editMessageText",
            )
        mark = botapi.mark()
        botapi.send_photo(user, CAT)
        offer = await botapi.wait_for(
            "sendPhoto", lambda c: c.result is not None and says(text_of(c), "got_content"), after=mark
        )
        grid = next(
            c
            for c in botapi.calls[mark:]
            if c.method == "sendPhoto" and says(text_of(c), "recent_styles_caption")
        )
        recent = {data: label for data, label in buttons(offer).items() if data.startswith("style:r:")}
        assert list(recent.values()) == [
            text("en", "recent_style_button", n=1),
            text("en", "recent_style_button", n=2),
        ]
        with Image.open(io.BytesIO(grid.files["photo"])) as picture:
            assert picture.width > picture.height, "two thumbnails side by side"
        newest = next(iter(recent))
        rows = requests(sqlite_url)
        assert int(newest.split(":")[-1]) == rows[-1].id, "Your style 1 is the newest"
        question = await said(
            botapi, lambda: botapi.press_button(user, offer.result, newest), predicate=asks("got_style")
        )
        await said(
            botapi, lambda: botapi.press_button(user, question.result, "strength:strong"), "editMessageText"
        )
        # A stranger cannot take this user's style by forging the button.
        offer = await said(botapi, lambda: botapi.send_photo(stranger, CAT), "sendPhoto", asks("got_content"))
        refused = await said(botapi, lambda: botapi.press_button(stranger, offer.result, newest))
        assert says(refused.params["text"], "refused_not_yours")
    last = requests(sqlite_url)[-1]
    assert (last.user_id, last.strength) == (user.id, "strong") and last.style_hash == rows[0].style_hash


async def test_settings_change_the_next_request(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(46)
    async with running_bot(botapi, sqlite_url):
        shown = await said(botapi, lambda: botapi.send_text(user, "/settings"))
        standard = text("en", "size_standard")
        assert says(shown.params["text"], "settings", strength=text("en", "ask_me_value"), size=standard)
        assert buttons(shown)["set:strength:ask"] == f"✓ {text('en', 'ask_me')}"
        message = shown.result
        for data in ("set:strength:strong", "set:size:large", "set:colors:on"):
            await said(botapi, lambda d=data: botapi.press_button(user, message, d), "editMessageText")
        edited = botapi.calls_to("editMessageText")[-1]
        strong = text("en", "strength_as_strong")
        assert says(edited.params["text"], "settings", strength=strong, size="Large", colors="on")
        again = await said(botapi, lambda: botapi.send_text(user, "/settings"))
        assert again.params["text"] == edited.params["text"]
        await said(botapi, lambda: botapi.send_photo(user, CAT), "sendPhoto")
        status = await said(botapi, lambda: botapi.send_photo(user, WAVES))
        assert says(status.params["text"], "queue_position"), "a default strength skips the question"
    [request] = requests(sqlite_url)
    assert (request.strength, request.size, request.keep_colors) == ("strong", "large", True)


async def test_each_language_and_the_language_command(botapi: BotApiStandIn, sqlite_url: str) -> None:
    russian, chinese, taiwanese, unknown = (
        User(47, language_code="ru"),
        User(48, language_code="zh-hans"),
        User(49, language_code="zh-hant"),
        User(50, language_code="de"),
    )
    async with running_bot(botapi, sqlite_url):
        for user, lang in ((russian, "ru"), (chinese, "zh"), (taiwanese, "zh-hant"), (unknown, "en")):
            greeting = await said(botapi, lambda u=user: botapi.send_text(u, "/start"))
            assert says(greeting.params["text"], "start", lang, name="Ada"), lang
        prompt = await said(botapi, lambda: botapi.send_text(russian, "/language"))
        assert buttons(prompt) == {
            "lang:en": "English",
            "lang:ru": "✓ Русский",
            "lang:zh": "简体中文",
            "lang:zh-hant": "繁體中文",
        }
        chosen = await said(
            botapi, lambda: botapi.press_button(russian, prompt.result, "lang:zh-hant"), "editMessageText"
        )
        assert says(chosen.params["text"], "language_set", "zh-hant")
        help_text = (await said(botapi, lambda: botapi.send_text(russian, "/help"))).params["text"]
        assert says(help_text, "help", "zh-hant")


async def test_history_shows_sizes_and_seconds_in_the_users_language(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(51, language_code="ru")
    async with running_bot(botapi, sqlite_url):
        await add_done_request(sqlite_url, user_id=user.id, seconds=3.94, size=(64, 43))
        await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)
        history = await said(botapi, lambda: botapi.send_text(user, "/history"), "sendPhoto")
    assert "64×43" in history.params["caption"] and "2,9 с" in history.params["caption"]


async def test_the_daily_quota_says_when_it_resets(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(52)
    async with running_bot(botapi, sqlite_url, daily_quota=1):
        question = await send_two_pictures(botapi, user, CAT, WAVES)
        await said(
            botapi, lambda: botapi.press_button(user, question.result, "strength:light"), "editMessageText"
        )
        question = await send_two_pictures(botapi, user, CAT, WAVES)
        refusal = await said(botapi, lambda: botapi.press_button(user, question.result, "strength:strong"))
        assert says(refusal.params["text"], "refused_quota_reached", quota=1)
    assert len(requests(sqlite_url)) == 1


async def test_the_allow_list_keeps_strangers_out(botapi: BotApiStandIn, sqlite_url: str) -> None:
    friend, stranger = User(53), User(54)
    async with running_bot(botapi, sqlite_url, allowed_user_ids=[53]):
        assert says((await said(botapi, lambda: botapi.send_text(friend, "/start"))).params["text"], "start")
        refusal = await said(botapi, lambda: botapi.send_photo(stranger, CAT))
        assert says(refusal.params["text"], "not_allowed", user_id=54)
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        assert list(conn.scalars(select(UserRow.id))) == [53], "nothing is recorded about a stranger"
    engine.dispose()


def _add_workers(database_url: str) -> None:
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        session.add(Worker(name="gpu-box:1", device="cuda", started_at=utcnow(), seen_at=utcnow()))
        old = utcnow() - timedelta(minutes=5)
        session.add(Worker(name="gone:2", device="cpu", started_at=old, seen_at=old))
    engine.dispose()


async def test_stats_for_an_admin_and_a_refusal_for_others(botapi: BotApiStandIn, sqlite_url: str) -> None:
    admin, user = User(55), User(56)
    await add_done_request(sqlite_url, user_id=56, seconds=10.0)
    await add_done_request(sqlite_url, user_id=56, seconds=30.0)
    _add_workers(sqlite_url)
    async with running_bot(botapi, sqlite_url, admin_user_ids=[55], allowed_user_ids=[56]):
        refusal = await said(botapi, lambda: botapi.send_text(user, "/stats"))
        assert says(refusal.params["text"], "admin_only")
        figures = (await said(botapi, lambda: botapi.send_text(admin, "/stats"))).params["text"]
    assert says(figures, "stats", users=2, today=2, total=2, queued=0, running=0, failed_today=0, failed=0)
    assert "median 20.0 s, 95th percentile 30.0 s" in figures and "1 (gpu-box:1)" in figures


async def test_a_conversation_survives_a_restart_of_the_bot(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(57)
    async with running_bot(botapi, sqlite_url):
        await said(botapi, lambda: botapi.send_text(user, "/start"))
        await said(
            botapi, lambda: botapi.send_photo(user, CAT, caption="light"), "sendPhoto", asks("got_content")
        )
    async with running_bot(botapi, sqlite_url):
        status = await said(botapi, lambda: botapi.send_photo(user, WAVES))
        assert says(status.params["text"], "queue_position")
    [request] = requests(sqlite_url)
    assert request.strength == "light" and request.style_image is not None
