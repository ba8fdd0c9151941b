"""Every mistake a user can make, through the Bot API stand-in: a clear answer, nothing lost, and
the bot goes on."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image

from bot.runtime.service import BotService
from bot.texts.catalogue import text
from testkit.botapi import BotApiStandIn, User
from testkit.pictures import CAT, WAVES, cat_photo, encoded, heic_declaring, jpeg_bytes, png_bytes
from testkit.waiting import wait_until_async
from tests.harness import asks, running_bot, said, says, send_two_pictures, text_of


@pytest.fixture
async def bot(botapi: BotApiStandIn, sqlite_url: str) -> AsyncIterator[BotService]:
    async with running_bot(botapi, sqlite_url) as service:
        yield service


async def reply(botapi: BotApiStandIn, action: Callable[[], Any]) -> str:
    """What the bot says next: a message, or the caption of the gallery's picture."""
    mark = botapi.mark()
    action()

    def said() -> str | None:
        for call in botapi.calls[mark:]:
            if call.method in ("sendMessage", "sendPhoto") and call.result is not None:
                return text_of(call)
        return None

    return await wait_until_async(
        said, lambda: f"a word from the bot; saw {[c.method for c in botapi.calls[mark:]]}"
    )


def png_declaring(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header says width×height: a decompression bomb's first bytes."""
    data = bytearray(png_bytes(Image.new("RGB", (16, 16))))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data[16:29] = ihdr  # after the signature (8), the chunk length (4) and type (4)
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def animated(fmt: str) -> bytes:
    frames = [cat_photo(), cat_photo().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    return encoded(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)


# file name -> (bytes, MIME type, the reason's key and values; None: not a picture at all)
REFUSED_FILES: dict[str, tuple[bytes, str, tuple[str, dict[str, int]] | None]] = {
    "empty.jpg": (b"", "image/jpeg", ("image_empty", {})),
    "notes.txt": (b"just some text", "text/plain", None),
    "dot.png": (
        png_bytes(Image.new("RGB", (1, 1))),
        "image/png",
        ("image_too_small", {"width": 1, "height": 1}),
    ),
    "strip.png": (
        png_bytes(Image.new("RGB", (1, 5000))),
        "image/png",
        ("image_too_small", {"width": 1, "height": 5000}),
    ),
    "bomb.png": (png_declaring(50_000, 50_000), "image/png", ("image_huge", {})),
    "wide.png": (
        png_declaring(14_000, 12_000),
        "image/png",
        ("image_too_large", {"width": 14000, "height": 12000}),
    ),
    # A size within the limit, but the pixels are not there.
    "hollow.png": (png_declaring(9000, 8000), "image/png", ("image_damaged", {})),
    # An iPhone's format, refused from its header alike.
    "bomb.heic": (heic_declaring(50_000, 50_000), "image/heic", ("image_huge", {})),
    "wide.heic": (
        heic_declaring(14_000, 12_000),
        "image/heic",
        ("image_too_large", {"width": 14000, "height": 12000}),
    ),
    "hollow.heic": (heic_declaring(9000, 8000), "image/heic", ("image_damaged", {})),
}


@pytest.mark.parametrize("name", sorted(REFUSED_FILES))
async def test_a_file_that_is_no_usable_picture_is_refused_clearly(
    bot: BotService,
    botapi: BotApiStandIn,
    name: str,
) -> None:
    data, mime, reason = REFUSED_FILES[name]
    user = User(91)
    answer = await reply(botapi, lambda: botapi.send_document(user, data, mime_type=mime, file_name=name))
    if reason is None:
        assert says(answer, "not_an_image")
    else:
        key, values = reason
        assert says(answer, "picture_refused") and says(answer, key, **values), answer
        assert answer.count(".") <= 2, "said once, not doubled"
    # Still waiting for the photo; a good one goes through.
    assert says(await reply(botapi, lambda: botapi.send_photo(user, CAT)), "got_content")


def cmyk_jpeg() -> bytes:
    return encoded(cat_photo().convert("CMYK"), "JPEG")


def png_16_bit() -> bytes:
    grey = np.asarray(cat_photo().convert("L"), dtype=np.uint16) * 257
    sixteen = Image.fromarray(grey)
    assert sixteen.mode.startswith("I;16")
    return encoded(sixteen, "PNG")


def palette_with_transparency() -> bytes:
    return encoded(cat_photo().convert("P"), "PNG", transparency=0)


def phone_photo_9000_by_8000() -> bytes:
    """A 72-megapixel JPEG, as a phone sends it as a file: smooth, so it is small and quick to make."""
    smooth = Image.linear_gradient("L").convert("RGB").resize((1125, 1000), Image.Resampling.BILINEAR)
    return jpeg_bytes(smooth.resize((9000, 8000), Image.Resampling.NEAREST), quality=80)


ACCEPTED_FILES = {
    "big.jpg": (phone_photo_9000_by_8000, "image/jpeg"),
    "cmyk.jpg": (cmyk_jpeg, "image/jpeg"),
    "deep.png": (png_16_bit, "image/png"),
    "grey.jpg": (lambda: jpeg_bytes(cat_photo().convert("L")), "image/jpeg"),
    "palette.png": (palette_with_transparency, "image/png"),
    # An iPhone's originals sent as files; AVIF; and a HEIC some app sent with no picture's type.
    "IMG_0001.HEIC": (lambda: encoded(cat_photo(), "HEIF"), "image/heic"),
    "IMG_0002.heic": (lambda: encoded(cat_photo(), "HEIF"), "application/octet-stream"),
    "photo.avif": (lambda: encoded(cat_photo(), "AVIF"), "image/avif"),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED_FILES))
async def test_unusual_but_valid_pictures_are_taken(
    bot: BotService,
    botapi: BotApiStandIn,
    name: str,
) -> None:
    make, mime = ACCEPTED_FILES[name]
    user = User(92)
    answer = await reply(botapi, lambda: botapi.send_document(user, make(), mime_type=mime, file_name=name))
    assert says(answer, "got_content"), answer


@pytest.mark.parametrize(("fmt", "mime"), [("GIF", "image/gif"), ("WEBP", "image/webp")])
async def test_an_animated_picture_gives_its_first_frame_and_says_so(
    bot: BotService,
    botapi: BotApiStandIn,
    fmt: str,
    mime: str,
) -> None:
    user = User(93)
    mark = botapi.mark()
    botapi.send_document(user, animated(fmt), mime_type=mime, file_name=f"moving.{fmt.lower()}")
    await botapi.wait_for(
        "sendPhoto", lambda c: c.result is not None and says(text_of(c), "got_content"), after=mark
    )
    notes = [text_of(c) for c in botapi.calls[mark:] if c.method == "sendMessage" and c.result is not None]
    assert [says(note, "first_frame") for note in notes] == [True]


async def test_stickers_videos_and_voice_get_told_what_to_send(
    bot: BotService, botapi: BotApiStandIn
) -> None:
    user = User(94)
    for send in (botapi.send_sticker, botapi.send_video, botapi.send_voice):  # outside a conversation
        assert says(await reply(botapi, lambda s=send: s(user)), "idle")  # type: ignore[misc]
    await reply(botapi, lambda: botapi.send_text(user, "/start"))
    for send in (botapi.send_sticker, botapi.send_video, botapi.send_voice):
        assert says(await reply(botapi, lambda s=send: s(user)), "expect_content")  # type: ignore[misc]


async def test_a_command_in_the_middle_of_a_conversation_keeps_it_going(
    bot: BotService, botapi: BotApiStandIn
) -> None:
    user = User(95)
    await reply(botapi, lambda: botapi.send_photo(user, CAT))
    assert says(await reply(botapi, lambda: botapi.send_text(user, "/help")), "help")
    assert says(await reply(botapi, lambda: botapi.send_text(user, "/settings")), "settings")
    assert says(await reply(botapi, lambda: botapi.send_text(user, "/history")), "history_empty")
    assert says(await reply(botapi, lambda: botapi.send_photo(user, WAVES)), "got_style")


async def test_in_a_group_the_bot_says_it_works_in_private_chats(
    bot: BotService, botapi: BotApiStandIn
) -> None:
    user, group = User(96), -100777
    mark = botapi.mark()
    botapi.add_bot_to_group(user, group)
    notice = await botapi.wait_for("sendMessage", after=mark)
    assert int(notice.params["chat_id"]) == group
    assert says(notice.params["text"], "private_only", username="stylebot_test_bot")
    assert says(await reply(botapi, lambda: botapi.send_group_text(user, group, "/start")), "private_only")
    mark = botapi.mark()
    botapi.send_group_photo(user, group, CAT)  # not downloaded, not answered: the group's chatter
    assert says(await reply(botapi, lambda: botapi.send_text(user, "/start")), "start")  # in private: fine
    assert [c.method for c in botapi.calls[mark:] if c.method in ("getFile", "sendMessage")] == [
        "sendMessage"
    ]


async def test_buttons_from_before_a_restart_still_work(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(97)
    async with running_bot(botapi, sqlite_url):
        queued = await send_two_pictures(botapi, user, CAT, WAVES)
        status = await said(
            botapi, lambda: botapi.press_button(user, queued.result, "strength:medium"), "editMessageText"
        )
        question = await send_two_pictures(botapi, user, CAT, WAVES)  # a second one, left waiting
    async with running_bot(botapi, sqlite_url):
        second = await said(
            botapi,
            lambda: botapi.press_button(user, question.result, "strength:strong"),
            "editMessageText",
            asks("queue_position"),
        )
        assert says(second.params["text"], "strength_chosen", strength=text("en", "strength_as_strong"))
        cancelled = await said(
            botapi,
            lambda: botapi.press_button(user, status.result, "cancel:1"),
            "editMessageText",
            asks("status_cancelled_line"),
        )
        assert int(cancelled.params["message_id"]) == status.result["message_id"]
