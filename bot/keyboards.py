"""Inline keyboards and their callback data: built and parsed here, next to the pattern."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import STRENGTH_LABELS, text

STRENGTH_PATTERN = re.compile(r"^strength:(?P<name>[a-z]+)$")
CANCEL_PATTERN = re.compile(r"^cancel:(?P<id>\d{1,18})$")


def strength_data(name: str) -> str:
    return f"strength:{name}"


def parse_strength(data: str | None) -> str | None:
    match = STRENGTH_PATTERN.match(data or "")
    if match is None or match["name"] not in STRENGTH_LABELS:
        return None
    return match["name"]


def cancel_data(request_id: int) -> str:
    return f"cancel:{request_id}"


def parse_cancel(data: str | None) -> int | None:
    match = CANCEL_PATTERN.match(data or "")
    return int(match["id"]) if match else None


def cancel_keyboard(request_id: int) -> InlineKeyboardMarkup:
    """The Cancel button under a request's status message."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text("cancel_button"), callback_data=cancel_data(request_id))]]
    )


def strength_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=strength_data(name))
                for name, label in STRENGTH_LABELS.items()
            ]
        ]
    )
