"""Inline keyboards and their callback data: built and parsed here, next to the pattern."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import STRENGTH_LABELS

STRENGTH_PATTERN = re.compile(r"^strength:(?P<name>[a-z]+)$")


def strength_data(name: str) -> str:
    return f"strength:{name}"


def parse_strength(data: str | None) -> str | None:
    match = STRENGTH_PATTERN.match(data or "")
    if match is None or match["name"] not in STRENGTH_LABELS:
        return None
    return match["name"]


def strength_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=strength_data(name))
                for name, label in STRENGTH_LABELS.items()
            ]
        ]
    )
