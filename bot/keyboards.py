"""Inline keyboards and their callback data: built and parsed here, next to the patterns; and the
command menu Telegram shows beside the message field.

Callback data must fit Telegram's 64 bytes: every kind is a short word and a request id or a
short name, e.g. "again:123456:stronger:medium".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Protocol

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts.catalogue import CATALOGUES, text
from bot.texts.choices import brush_label, size_label, strength_label
from stylebot.choices import OFFERED_STRENGTHS, Brush, Size, Strength
from stylebot.submissions import Change

STRENGTH_PATTERN = re.compile(r"^strength:(?P<name>[a-z]+)$")
SWAP_PATTERN = re.compile(r"^swap$")
COMPARE_PATTERN = re.compile(r"^compare$")
WHICH_PATTERN = re.compile(r"^which:(?P<part>content|style)$")
FILE_PATTERN = re.compile(r"^file:(?P<id>\d{1,18})(?::(?P<strength>[a-z]+))?$")
CANCEL_PATTERN = re.compile(r"^cancel:(?P<id>\d{1,18})$")
# The result's strength rides along, so that "already the strongest" needs no database.
AGAIN_PATTERN = re.compile(
    r"^again:(?P<id>\d{1,18}):(?P<change>weaker|stronger|colors|finer|coarser|bigger)"
    r"(?::(?P<strength>[a-z]+))?$"
)
# One strength of a comparison chosen: it becomes the result the buttons below it act on.
PICK_PATTERN = re.compile(r"^pick:(?P<id>\d{1,18}):(?P<strength>[a-z]+)$")
# A painting of /history's contact sheet, sent again.
HISTORY_PATTERN = re.compile(r"^hist:(?P<id>\d{1,18})$")
GALLERY_PATTERN = re.compile(r"^gallery$")
REUSE_PATTERN = re.compile(r"^reuse:(?P<id>\d{1,18}):(?P<keep>content|style)$")
STYLE_PATTERN = re.compile(r"^style:(?:(?P<kind>g|r):(?P<key>[0-9a-z]{1,18})|own)$")
SETTING_PATTERN = re.compile(r"^set:(?P<name>strength|size|colors|brush):(?P<value>[a-z]+)$")
LANGUAGE_PATTERN = re.compile(r"^lang:(?P<code>[a-z]{2}(?:-[a-z]{4})?)$")
FORGET_PATTERN = re.compile(r"^forget:(?P<answer>yes|no)$")

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's
COMMANDS = ("start", "cancel", "settings", "language", "history", "forget", "help")


def bot_commands(lang: str) -> list[BotCommand]:
    """The command menu in `lang`."""
    return [BotCommand(name, text(lang, f"cmd_{name}")) for name in COMMANDS]


def _button(label: str, data: str) -> InlineKeyboardButton:
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT, data
    return InlineKeyboardButton(label, callback_data=data)


def strength_keyboard(lang: str) -> InlineKeyboardMarkup:
    """The strength question: the three strengths, all three side by side, and a swap of the two
    pictures (a painting sent first and the photo second is a common mix-up)."""
    return InlineKeyboardMarkup(
        [
            [
                _button(strength_label(lang, strength), f"strength:{strength}")
                for strength in OFFERED_STRENGTHS
            ],
            [_button(text(lang, "compare_button"), "compare"), _button(text(lang, "swap_button"), "swap")],
        ]
    )


def which_keyboard(lang: str) -> InlineKeyboardMarkup:
    """A picture sent at the strength question: does it replace the photo, or the style?"""
    return InlineKeyboardMarkup(
        [
            [
                _button(text(lang, "replace_content_button"), "which:content"),
                _button(text(lang, "replace_style_button"), "which:style"),
            ]
        ]
    )


def parse_which(data: str | None) -> str | None:
    match = WHICH_PATTERN.match(data or "")
    return match["part"] if match else None


def parse_strength(data: str | None) -> Strength | None:
    match = STRENGTH_PATTERN.match(data or "")
    return Strength.parse(match["name"]) if match else None


def parse_compare(data: str | None) -> Strength | None:
    """Compare strengths: the request's own strength is the middle one of the three."""
    return OFFERED_STRENGTHS[len(OFFERED_STRENGTHS) // 2] if COMPARE_PATTERN.match(data or "") else None


def parse_swap(data: str | None) -> bool | None:
    return True if SWAP_PATTERN.match(data or "") else None


def cancel_keyboard(lang: str, request_id: int) -> InlineKeyboardMarkup:
    """The Cancel button under a request's status message."""
    return InlineKeyboardMarkup([[_button(text(lang, "cancel_button"), f"cancel:{request_id}")]])


def parse_cancel(data: str | None) -> int | None:
    match = CANCEL_PATTERN.match(data or "")
    return int(match["id"]) if match else None


class Painted(Protocol):
    """What a result's buttons are made from: a request as loaded, or as the notifier reads it."""

    @property
    def id(self) -> int: ...
    @property
    def strength(self) -> Strength: ...
    @property
    def keep_colors(self) -> bool: ...
    @property
    def brush(self) -> Brush: ...
    @property
    def size(self) -> Size: ...


def keyboard_under_result(lang: str, request: Painted) -> InlineKeyboardMarkup:
    """The buttons under a request's painting, sent by delivery or sent again from /history."""
    return result_keyboard(
        lang,
        request.id,
        strength=request.strength,
        keep_colors=request.keep_colors,
        brush=request.brush,
        size=request.size,
    )


def result_keyboard(
    lang: str,
    request_id: int,
    *,
    strength: Strength | None,
    keep_colors: bool,
    brush: Brush = Brush.MEDIUM,
    size: Size = Size.STANDARD,
    variant: Strength | None = None,
) -> InlineKeyboardMarkup:
    """Under a result (or the chosen `variant` of a comparison): run it again changed, keep one
    picture and send a new other one, get the file, share it."""
    colors = text(lang, "colors_on_button" if keep_colors else "colors_off_button")
    if variant is not None:
        strength = variant
    known = f":{strength}" if strength is not None else ""
    file = f"file:{request_id}:{variant}" if variant is not None else f"file:{request_id}"
    rows = [
        [
            _button(text(lang, "weaker_button"), f"again:{request_id}:weaker{known}"),
            _button(text(lang, "stronger_button"), f"again:{request_id}:stronger{known}"),
        ],
        [
            _button(text(lang, "finer_button"), f"again:{request_id}:finer{known}"),
            _button(text(lang, "coarser_button"), f"again:{request_id}:coarser{known}"),
        ],
        [_button(colors, f"again:{request_id}:colors{known}")],
        [
            _button(text(lang, "new_style_button"), f"reuse:{request_id}:content"),
            _button(text(lang, "new_photo_button"), f"reuse:{request_id}:style"),
        ],
        [
            _button(text(lang, "file_button"), file),
            InlineKeyboardButton(text(lang, "share_button"), switch_inline_query=str(request_id)),
        ],
    ]
    if size != Size.LARGE:
        rows[2].append(_button(text(lang, "bigger_button"), f"again:{request_id}:bigger{known}"))
    return InlineKeyboardMarkup(rows)


def compare_keyboard(
    lang: str,
    request_id: int,
    *,
    chosen: Strength | None = None,
    keep_colors: bool = False,
    brush: Brush = Brush.MEDIUM,
    size: Size = Size.STANDARD,
) -> InlineKeyboardMarkup:
    """Under the three strengths side by side: a button per strength that makes it the result to
    carry on from; once one is chosen, a result's buttons for it."""
    picks = [
        _button(_mark(strength_label(lang, strength), strength == chosen), f"pick:{request_id}:{strength}")
        for strength in OFFERED_STRENGTHS
    ]
    if chosen is None:
        return InlineKeyboardMarkup(
            [
                picks,
                [
                    _button(text(lang, "new_style_button"), f"reuse:{request_id}:content"),
                    _button(text(lang, "new_photo_button"), f"reuse:{request_id}:style"),
                ],
            ]
        )
    below = result_keyboard(
        lang, request_id, strength=chosen, keep_colors=keep_colors, brush=brush, size=size, variant=chosen
    )
    return InlineKeyboardMarkup([picks, *below.inline_keyboard])


def bigger_keyboard(lang: str, request_id: int, strength: Strength) -> InlineKeyboardMarkup:
    """Under a file no bigger than the photo: the one thing that gives more pixels."""
    return InlineKeyboardMarkup(
        [[_button(text(lang, "bigger_button"), f"again:{request_id}:bigger:{strength}")]]
    )


@dataclass(frozen=True)
class Picked:
    request_id: int
    strength: Strength


def parse_pick(data: str | None) -> Picked | None:
    match = PICK_PATTERN.match(data or "")
    strength = Strength.parse(match["strength"]) if match else None
    return Picked(int(match["id"]), strength) if match and strength is not None else None


def history_keyboard(request_ids: list[int]) -> InlineKeyboardMarkup:
    """Under /history's contact sheet: a numbered button per painting, four a row."""
    buttons = [_button(str(n), f"hist:{rid}") for n, rid in enumerate(request_ids, start=1)]
    return InlineKeyboardMarkup([buttons[i : i + 4] for i in range(0, len(buttons), 4)])


def parse_history(data: str | None) -> int | None:
    match = HISTORY_PATTERN.match(data or "")
    return int(match["id"]) if match else None


def parse_gallery(data: str | None) -> bool | None:
    return True if GALLERY_PATTERN.match(data or "") else None


@dataclass(frozen=True)
class FileAsked:
    request_id: int
    strength: Strength | None  # a variant of a comparison; None: the result itself


def parse_file(data: str | None) -> FileAsked | None:
    match = FILE_PATTERN.match(data or "")
    return FileAsked(int(match["id"]), Strength.parse(match["strength"])) if match else None


@dataclass(frozen=True)
class Again:
    request_id: int
    change: Change
    strength: Strength | None  # the result's, when the button says (older buttons do not)


def parse_again(data: str | None) -> Again | None:
    match = AGAIN_PATTERN.match(data or "")
    if match is None:
        return None
    return Again(int(match["id"]), Change(match["change"]), Strength.parse(match["strength"]))


@dataclass(frozen=True)
class Reuse:
    request_id: int
    keep: Literal["content", "style"]  # content: a new style follows; style: a new photo follows


def parse_reuse(data: str | None) -> Reuse | None:
    match = REUSE_PATTERN.match(data or "")
    return Reuse(int(match["id"]), "content" if match["keep"] == "content" else "style") if match else None


@dataclass(frozen=True)
class StyleChoice:
    kind: str  # g: gallery (key: the style's key), r: recent (key: a request id), own
    key: str = ""


def parse_style(data: str | None) -> StyleChoice | None:
    match = STYLE_PATTERN.match(data or "")
    if match is None:
        return None
    return StyleChoice(match["kind"], match["key"]) if match["kind"] else StyleChoice("own")


def style_keyboard(
    lang: str, gallery: list[tuple[str, str]], recent: list[int], *, show_gallery: bool = False
) -> InlineKeyboardMarkup:
    """Gallery styles (name, key), numbered as in their preview, then the user's recent styles
    (request ids, newest first: "Your style 1", ...), then "Send my own" (and, when the gallery's
    picture was not sent with it, a button that sends it)."""
    buttons = [_button(f"{n}. {name}", f"style:g:{key}") for n, (name, key) in enumerate(gallery, start=1)]
    buttons += [
        _button(text(lang, "recent_style_button", n=n), f"style:r:{request_id}")
        for n, request_id in enumerate(recent, start=1)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    last = [_button(text(lang, "send_own_button"), "style:own")]
    if show_gallery:
        last.append(_button(text(lang, "show_gallery_button"), "gallery"))
    rows.append(last)
    return InlineKeyboardMarkup(rows)


def _mark(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label


def settings_keyboard(
    lang: str, *, strength: Strength | None, size: Size, keep_colors: bool, brush: Brush = Brush.MEDIUM
) -> InlineKeyboardMarkup:
    strengths = [_button(_mark(text(lang, "ask_me"), strength is None), "set:strength:ask")]
    strengths += [
        _button(_mark(strength_label(lang, offered), strength == offered), f"set:strength:{offered}")
        for offered in OFFERED_STRENGTHS
    ]
    sizes = [_button(_mark(size_label(lang, each), size == each), f"set:size:{each}") for each in Size]
    colors = text(lang, "colors_on_button" if keep_colors else "colors_off_button")
    toggle = "off" if keep_colors else "on"
    brushes = [_button(_mark(brush_label(lang, each), brush == each), f"set:brush:{each}") for each in Brush]
    return InlineKeyboardMarkup(
        [strengths[:2], strengths[2:], sizes, brushes, [_button(colors, f"set:colors:{toggle}")]]
    )


@dataclass(frozen=True)
class Setting:
    """A /settings button: the preference to store, as its column name and value."""

    column: str
    value: object


def parse_setting(data: str | None) -> Setting | None:
    match = SETTING_PATTERN.match(data or "")
    if match is None:
        return None
    name, value = match["name"], match["value"]
    if name == "strength":
        strength = Strength.parse(value)
        if value == "ask" or strength in OFFERED_STRENGTHS:
            return Setting("default_strength", strength)
    elif name == "size" and value in set(Size):
        return Setting("output_size", Size(value))
    elif name == "brush" and value in set(Brush):
        return Setting("default_brush", Brush(value))
    elif name == "colors" and value in ("on", "off"):
        return Setting("keep_colors", value == "on")
    return None


def language_keyboard(current: str) -> InlineKeyboardMarkup:
    """Each language named in itself, two a row: four in one are cramped on a phone."""
    choices = [
        _button(_mark(catalogue["language_name"], code == current), f"lang:{code}")
        for code, catalogue in CATALOGUES.items()
    ]
    return InlineKeyboardMarkup([choices[n : n + 2] for n in range(0, len(choices), 2)])


def parse_language(data: str | None) -> str | None:
    match = LANGUAGE_PATTERN.match(data or "")
    return match["code"] if match and match["code"] in CATALOGUES else None


def forget_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(text(lang, "forget_yes"), "forget:yes"), _button(text(lang, "forget_no"), "forget:no")]]
    )


def parse_forget(data: str | None) -> bool | None:
    """True: delete everything; False: keep; None: not a /forget button."""
    match = FORGET_PATTERN.match(data or "")
    return match["answer"] == "yes" if match else None
