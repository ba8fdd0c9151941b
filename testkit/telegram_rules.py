"""How Telegram treats what it is sent, as far as the bot depends on it: the stand-in's rules.

Photos are re-encoded as JPEG in several sizes with their true dimensions (EXIF dropped, its
orientation applied); text, captions and button data have length limits; a chat takes about one
message a second and a bot about thirty; a button press can be answered once, and not too late.
"""

from __future__ import annotations

import io
import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageOps

# Telegram makes these sizes of a photo (long side), up to the photo's own size.
PHOTO_SIDES = (90, 320, 800, 1280)
PHOTO_QUALITY = 87
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files (the cloud Bot API)
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
QUERY_ANSWER_SECONDS = 15.0  # a button press answered later than this is "too old"

# Calls that send or change a message count against the flood limits.
FLOOD_COUNTED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "editMessageMedia",
    }
)
# A photo Telegram takes: at most 10 MB, width + height at most 10 000, sides at most 20:1.
PHOTO_BYTES_LIMIT = 10 * 1024 * 1024
PHOTO_SIDES_LIMIT = 10_000
PHOTO_RATIO_LIMIT = 20


def photo_sizes(data: bytes) -> list[tuple[bytes, int, int]]:
    """The JPEGs Telegram would keep of a photo: (bytes, width, height), smallest first."""
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    longest = max(image.size)
    sides = [side for side in PHOTO_SIDES if side < longest]
    if longest <= PHOTO_SIDES[-1]:  # a small photo is kept at its own size too
        sides.append(longest)
    sizes = []
    for side in sides:
        scaled = image.copy()
        scaled.thumbnail((side, side), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        scaled.save(buffer, "JPEG", quality=PHOTO_QUALITY)
        sizes.append((buffer.getvalue(), scaled.width, scaled.height))
    return sizes


def photo_refusal(data: bytes) -> str | None:
    """Telegram's refusal of a photo it would not take, or None."""
    if len(data) > PHOTO_BYTES_LIMIT:
        return "Bad Request: PHOTO_SAVE_FILE_INVALID"
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
    except OSError:
        return "Bad Request: IMAGE_PROCESS_FAILED"
    if width + height > PHOTO_SIDES_LIMIT or max(width, height) > PHOTO_RATIO_LIMIT * min(width, height):
        return "Bad Request: PHOTO_INVALID_DIMENSIONS"
    return None


def too_long(method: str, params: dict[str, Any]) -> str | None:
    """Telegram's refusal of an over-long text, caption or button, or None."""
    if len(str(params.get("text", ""))) > TEXT_LIMIT:
        return "Bad Request: message is too long"
    if len(str(params.get("caption", ""))) > CAPTION_LIMIT:
        return "Bad Request: message caption is too long"
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if len(str(button.get("callback_data", "")).encode()) > CALLBACK_DATA_LIMIT:
                return "Bad Request: BUTTON_DATA_INVALID"
    return None


# An inline keyboard button does exactly one of these.
BUTTON_ACTIONS = frozenset(
    {
        "callback_data",
        "url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "web_app",
        "login_url",
        "callback_game",
        "pay",
        "copy_text",
    }
)


def bad_button(params: dict[str, Any]) -> str | None:
    """Telegram's refusal of an inline button that does nothing or more than one thing, or None."""
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if len(BUTTON_ACTIONS & button.keys()) != 1 or not button.get("text"):
                return (
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
    return None


@dataclass
class Bucket:
    """A token bucket: `capacity` messages at once, refilled at `rate` a second."""

    capacity: float
    rate: float
    tokens: float = -1.0
    at: float = field(default_factory=time.monotonic)

    def take(self) -> float:
        """0 when a message may go now (and takes its token), else the seconds to wait."""
        now = time.monotonic()
        if self.tokens < 0:
            self.tokens = self.capacity
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class FloodLimits:
    """About one message a second per chat (bursts of a few allowed), about 30 a second in all."""

    per_chat: float = 1.0
    chat_burst: float = 6.0
    overall: float = 30.0
    enabled: bool = True
    _chats: dict[int, Bucket] = field(default_factory=dict)
    _all: Bucket | None = None

    def retry_after(self, method: str, chat_id: int | None) -> int | None:
        """None when the call may go through, else Telegram's retry_after in whole seconds."""
        if not self.enabled or method not in FLOOD_COUNTED:
            return None
        if self._all is None:
            self._all = Bucket(self.overall, self.overall)
        wait = self._all.take()
        if wait == 0 and chat_id is not None:
            wait = self._chats.setdefault(chat_id, Bucket(self.chat_burst, self.per_chat)).take()
        return None if wait == 0 else max(1, math.ceil(wait))


@dataclass
class CallbackQueries:
    """Each press can be answered once, within QUERY_ANSWER_SECONDS."""

    answer_within: float = QUERY_ANSWER_SECONDS
    _pressed: dict[str, float] = field(default_factory=dict)

    def pressed(self, query_id: str) -> None:
        self._pressed[query_id] = time.monotonic()

    def answer(self, query_id: str) -> bool:
        at = self._pressed.pop(query_id, None)
        return at is not None and time.monotonic() - at <= self.answer_within
