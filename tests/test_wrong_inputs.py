"""Every mistake a user can make, through the Bot API stand-in: a clear answer, nothing lost, and
the bot goes on."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image
from telegram.ext import Application

from testkit.botapi import BotApiStandIn, Call, User
from tests.conftest import cat_photo, jpeg_bytes, png_bytes
from tests.harness import CAT, WAVES, running_bot, send_two_pictures


@pytest.fixture
async def bot(botapi: BotApiStandIn, sqlite_url: str) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with running_bot(botapi, sqlite_url) as app:
        yield app


async def reply(botapi: BotApiStandIn, action: Callable[[], Any]) -> str:
    mark = botapi.mark()
    action()
    call: Call = await botapi.wait_for("sendMessage", after=mark)
    return str(call.params["text"])


def encoded(image: Image.Image, fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


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


REFUSED_FILES = {
    "empty.jpg": (b"", "image/jpeg", "the file is empty"),
    "notes.txt": (b"just some text", "text/plain", "isn't a picture I can use"),
    "dot.png": (png_bytes(Image.new("RGB", (1, 1))), "image/png", "too small (1×1)"),
    "strip.png": (png_bytes(Image.new("RGB", (1, 5000))), "image/png", "too small (1×5000)"),
    "bomb.png": (png_declaring(50_000, 50_000), "image/png", "far more pixels than I can take"),
    "wide.png": (png_declaring(14_000, 12_000), "image/png", "too large (14000×12000)"),
    # A size within the limit, but the pixels are not there.
    "hollow.png": (png_declaring(9000, 8000), "image/png", "damaged or incomplete"),
}


@pytest.mark.parametrize("name", sorted(REFUSED_FILES))
async def test_a_file_that_is_no_usable_picture_is_refused_clearly(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
    name: str,
) -> None:
    data, mime, says = REFUSED_FILES[name]
    user = User(91)
    answer = await reply(botapi, lambda: botapi.send_document(user, data, mime_type=mime, file_name=name))
    assert says in answer
    # Still waiting for the content photo; a good one goes through.
    assert "Got the photo" in await reply(botapi, lambda: botapi.send_photo(user, CAT))


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
}


@pytest.mark.parametrize("name", sorted(ACCEPTED_FILES))
async def test_unusual_but_valid_pictures_are_taken(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
    name: str,
) -> None:
    make, mime = ACCEPTED_FILES[name]
    user = User(92)
    answer = await reply(botapi, lambda: botapi.send_document(user, make(), mime_type=mime, file_name=name))
    assert "Got the photo" in answer


@pytest.mark.parametrize(("fmt", "mime"), [("GIF", "image/gif"), ("WEBP", "image/webp")])
async def test_an_animated_picture_gives_its_first_frame_and_says_so(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
    fmt: str,
    mime: str,
) -> None:
    user = User(93)
    mark = botapi.mark()
    botapi.send_document(user, animated(fmt), mime_type=mime, file_name=f"moving.{fmt.lower()}")
    said = await botapi.wait_for("sendMessage", lambda c: "Got the photo" in c.params["text"], after=mark)
    notes = [c.params["text"] for c in botapi.calls[mark:] if c.method == "sendMessage" and c is not said]
    assert notes == ["That picture is animated: I'll use its first frame."]


async def test_stickers_videos_and_voice_get_told_what_to_send(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
) -> None:
    user = User(94)
    for send in (botapi.send_sticker, botapi.send_video, botapi.send_voice):  # outside a conversation
        assert "Send me a photo" in await reply(botapi, lambda s=send: s(user))  # type: ignore[misc]
    await reply(botapi, lambda: botapi.send_text(user, "/start"))
    for send in (botapi.send_sticker, botapi.send_video, botapi.send_voice):
        assert "send the photo you want painted" in await reply(botapi, lambda s=send: s(user))  # type: ignore[misc]


async def test_a_command_in_the_middle_of_a_conversation_keeps_it_going(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
) -> None:
    user = User(95)
    await reply(botapi, lambda: botapi.send_photo(user, CAT))
    assert "How it works" in await reply(botapi, lambda: botapi.send_text(user, "/help"))
    assert "Your settings" in await reply(botapi, lambda: botapi.send_text(user, "/settings"))
    assert "no requests yet" in await reply(botapi, lambda: botapi.send_text(user, "/history"))
    assert "already under way" in await reply(botapi, lambda: botapi.send_text(user, "/start"))
    assert "How strong" in await reply(botapi, lambda: botapi.send_photo(user, WAVES))


async def test_in_a_group_the_bot_says_it_works_in_private_chats(
    bot: Application,  # type: ignore[type-arg]
    botapi: BotApiStandIn,
) -> None:
    user, group = User(96), -100777
    mark = botapi.mark()
    botapi.add_bot_to_group(user, group)
    notice = await botapi.wait_for("sendMessage", after=mark)
    assert int(notice.params["chat_id"]) == group
    assert (
        "only work in private chats" in notice.params["text"]
        and "@stylebot_test_bot" in notice.params["text"]
    )
    assert "private chats" in await reply(botapi, lambda: botapi.send_group_text(user, group, "/start"))
    mark = botapi.mark()
    botapi.send_group_photo(user, group, CAT)  # not downloaded, not answered: the group's chatter
    assert "Hi Ada" in await reply(botapi, lambda: botapi.send_text(user, "/start"))  # in private: fine
    assert [c.method for c in botapi.calls[mark:] if c.method in ("getFile", "sendMessage")] == [
        "sendMessage"
    ]


async def test_buttons_from_before_a_restart_still_work(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(97)
    async with running_bot(botapi, sqlite_url):
        queued = await send_two_pictures(botapi, user, CAT, WAVES)
        mark = botapi.mark()
        botapi.press_button(user, queued.result, "strength:medium")
        status = await botapi.wait_for("editMessageText", after=mark)
        keyboard = await send_two_pictures(botapi, user, CAT, WAVES)  # a second one, left waiting
    async with running_bot(botapi, sqlite_url):
        mark = botapi.mark()
        botapi.press_button(user, keyboard.result, "strength:strong")
        second = await botapi.wait_for("editMessageText", lambda c: "Queued" in c.params["text"], after=mark)
        assert "Strength: Strong" in second.params["text"]
        mark = botapi.mark()
        botapi.press_button(user, status.result, "cancel:1")
        cancelled = await botapi.wait_for(
            "editMessageText", lambda c: "Cancelled" in c.params["text"], after=mark
        )
        assert int(cancelled.params["message_id"]) == status.result["message_id"]
