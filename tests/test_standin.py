"""The Bot API stand-in keeps Telegram's rules where the bot depends on them: these tests keep the
stand-in honest (its strictness is what the other tests lean on)."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image

from testkit.botapi import BotApiStandIn, User
from testkit.botapi.profile import DESCRIPTION_LIMIT, SHORT_DESCRIPTION_LIMIT
from testkit.pictures import cat_photo, jpeg_bytes
from testkit.telegram_rules import CALLBACK_DATA_LIMIT, CAPTION_LIMIT, TEXT_LIMIT


def call(botapi: BotApiStandIn, method: str, **params: Any) -> dict[str, Any]:
    answer = httpx.post(f"{botapi.base_url}{botapi.token}/{method}", json=params, timeout=10)
    return dict(answer.json())


def test_a_photo_arrives_as_jpegs_in_several_sizes_without_exif(botapi: BotApiStandIn) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise"
    buffer = io.BytesIO()
    cat_photo(1500).save(buffer, "PNG", exif=exif.tobytes())
    sizes = botapi.photo(buffer.getvalue())
    assert [max(s["width"], s["height"]) for s in sizes] == [90, 320, 800, 1280]
    with Image.open(io.BytesIO(botapi.largest(sizes))) as largest:
        assert largest.format == "JPEG" and not largest.getexif()
        assert (largest.width, largest.height) == (sizes[-1]["width"], sizes[-1]["height"])
        assert largest.height > largest.width, "the orientation is applied, then dropped"


def test_texts_captions_and_button_data_have_telegrams_limits(botapi: BotApiStandIn) -> None:
    assert call(botapi, "sendMessage", chat_id=1, text="x" * TEXT_LIMIT)["ok"]
    too_long = call(botapi, "sendMessage", chat_id=2, text="x" * (TEXT_LIMIT + 1))
    assert too_long["description"] == "Bad Request: message is too long"
    markup = {"inline_keyboard": [[{"text": "b", "callback_data": "d" * (CALLBACK_DATA_LIMIT + 1)}]]}
    assert call(botapi, "sendMessage", chat_id=3, text="hi", reply_markup=markup)["description"].endswith(
        "BUTTON_DATA_INVALID"
    )
    files = {"photo": ("p.jpg", jpeg_bytes(cat_photo()), "image/jpeg")}
    answer = httpx.post(
        f"{botapi.base_url}{botapi.token}/sendPhoto",
        data={"chat_id": "4", "caption": "c" * (CAPTION_LIMIT + 1)},
        files=files,
        timeout=10,
    ).json()
    assert answer["description"] == "Bad Request: message caption is too long"


def test_a_chat_takes_about_a_message_a_second(botapi: BotApiStandIn) -> None:
    answers = [call(botapi, "sendMessage", chat_id=5, text=f"{n}") for n in range(12)]
    refused = [a for a in answers if not a["ok"]]
    assert refused and refused[0]["error_code"] == 429 and refused[0]["parameters"]["retry_after"] >= 1
    assert call(botapi, "sendMessage", chat_id=6, text="another chat")["ok"], "other chats are not held up"


def test_edits_of_unknown_messages_and_late_button_answers_are_refused(botapi: BotApiStandIn) -> None:
    assert call(botapi, "editMessageText", chat_id=7, message_id=999, text="x")["description"] == (
        "Bad Request: message to edit not found"
    )
    user = User(7)
    message = botapi.add_bot_message(user.id, "question")
    update_id = botapi.press_button(user, message, "strength:medium")
    query_id = botapi._updates[-1]["callback_query"]["id"]
    assert update_id and call(botapi, "answerCallbackQuery", callback_query_id=query_id)["ok"]
    again = call(botapi, "answerCallbackQuery", callback_query_id=query_id)
    assert "query is too old" in again["description"], "a press is answered once"


def test_getfile_refuses_what_bots_may_not_download(botapi: BotApiStandIn) -> None:
    file_id = botapi.add_file(b"\0" * (20 * 1024 * 1024 + 1))
    assert call(botapi, "getFile", file_id=file_id)["description"] == "Bad Request: file is too big"


def test_the_bots_description_and_commands_keep_telegrams_rules(botapi: BotApiStandIn) -> None:
    assert call(botapi, "setMyDescription", description="d" * DESCRIPTION_LIMIT)["ok"]
    assert call(botapi, "setMyDescription", description="d" * (DESCRIPTION_LIMIT + 1))["error_code"] == 400
    assert call(botapi, "setMyShortDescription", short_description="s" * SHORT_DESCRIPTION_LIMIT)["ok"]
    emoji = "🎨" * (SHORT_DESCRIPTION_LIMIT // 2 + 1)  # fewer characters, but two UTF-16 units each
    assert call(botapi, "setMyShortDescription", short_description=emoji)["error_code"] == 400
    refused = call(botapi, "setMyDescription", description="x", language_code="zh-hant")
    assert refused["description"] == "Bad Request: invalid language code specified"
    for wrong in (
        [{"command": "Start", "description": "upper case"}],
        [{"command": "start", "description": ""}],
        [{"command": "start", "description": "d" * 257}],
        [{"command": f"c{n}", "description": "x"} for n in range(101)],
    ):
        assert call(botapi, "setMyCommands", commands=wrong)["error_code"] == 400
    assert call(
        botapi, "setMyCommands", commands=[{"command": "start", "description": "Начать"}], language_code="ru"
    )["ok"]
    assert call(botapi, "getMyCommands", language_code="ru")["result"] == [
        {"command": "start", "description": "Начать"}
    ]
    assert call(botapi, "getMyCommands")["result"] == [], "the default has none of its own"
    assert call(botapi, "getMyDescription")["result"] == {"description": "d" * DESCRIPTION_LIMIT}
    # What a user sees: their language's own, else the default; an empty text removes the own.
    assert call(botapi, "setMyShortDescription", short_description="Рисую", language_code="ru")["ok"]
    assert botapi.bot_profile.seen_by("ru-RU").short_description == "Рисую"
    assert botapi.bot_profile.seen_by("ru").commands == [("start", "Начать")]
    assert botapi.bot_profile.seen_by("de").short_description == "s" * SHORT_DESCRIPTION_LIMIT
    assert call(botapi, "setMyShortDescription", short_description="", language_code="ru")["ok"]
    assert botapi.bot_profile.seen_by("ru").short_description == "s" * SHORT_DESCRIPTION_LIMIT


def test_inline_answers_reactions_replies_and_albums_keep_telegrams_rules(botapi: BotApiStandIn) -> None:
    user = User(8)
    photo = call(botapi, "sendMessage", chat_id=user.id, text="x")["result"]
    # A button does exactly one thing: a Share button opens inline mode, a bare label is refused.
    share = {"inline_keyboard": [[{"text": "Share", "switch_inline_query": "12"}]]}
    assert call(botapi, "sendMessage", chat_id=user.id, text="ok", reply_markup=share)["ok"]
    bare = {"inline_keyboard": [[{"text": "nothing"}]]}
    assert (
        "can't parse inline keyboard button"
        in call(botapi, "sendMessage", chat_id=9, text="no", reply_markup=bare)["description"]
    )
    # An inline query is answered once, with results whose ids are unique and files known.
    query_id = botapi.inline_query(user, "12")
    unknown = [{"type": "photo", "id": "a", "photo_file_id": "nope"}]
    assert not call(botapi, "answerInlineQuery", inline_query_id=query_id, results=unknown)["ok"]
    assert not call(botapi, "answerInlineQuery", inline_query_id=query_id, results=[])["ok"], "answered once"
    query_id = botapi.inline_query(user)
    twice = [{"type": "photo", "id": "a", "photo_file_id": botapi.add_file(b"p")}] * 2
    assert call(botapi, "answerInlineQuery", inline_query_id=query_id, results=twice)["description"].endswith(
        "RESULT_ID_INVALID"
    )
    # A reply to a message the user deleted is refused, unless sent anyway.
    botapi.delete_by_user(user, photo)
    gone = {"message_id": photo["message_id"]}
    assert not call(botapi, "sendMessage", chat_id=user.id, text="↑", reply_parameters=gone)["ok"]
    anyway = {**gone, "allow_sending_without_reply": True}
    assert call(botapi, "sendMessage", chat_id=user.id, text="↑", reply_parameters=anyway)["ok"]
    # Reactions reach only a bot that asked for them.
    queries = call(botapi, "getUpdates", timeout=0)["result"]
    botapi.react(user, photo, "👍")
    later = call(botapi, "getUpdates", timeout=0, offset=queries[-1]["update_id"] + 1)["result"]
    assert later == [], "message_reaction is not sent by default"
    botapi.react(user, photo, "👍")
    kinds = call(botapi, "getUpdates", timeout=0, allowed_updates=["message_reaction"])["result"]
    assert [next(k for k in u if k != "update_id") for u in kinds] == ["message_reaction"]
