"""Strengths and sizes in words: button labels, and a strength named in a caption or a typed answer."""

from __future__ import annotations

import re

from bot.texts.catalogue import CATALOGUES, text
from stylebot.choices import Size, Strength


def strength_label(lang: str, strength: str) -> str:
    """ "Medium" for Strength.MEDIUM; an unknown value (an old row) is shown as it is."""
    known = Strength.parse(strength)
    return text(lang, f"strength_{known}") if known is not None else strength


def size_label(lang: str, size: Size) -> str:
    return text(lang, f"size_{size}")


def _strength_words() -> dict[str, Strength]:
    words: dict[str, Strength] = {strength.value: strength for strength in Strength}
    words |= {str(number): strength for number, strength in enumerate(Strength, start=1)}
    for catalogue in CATALOGUES.values():
        words |= {catalogue[f"strength_{strength}"].lower(): strength for strength in Strength}
    return words


STRENGTH_WORDS = _strength_words()


def strength_from_words(words: str | None) -> Strength | None:
    """A strength named in a caption or a message: "strong", "Сильно", "强", or 1 (lightest) to 5."""
    if not words:
        return None
    cleaned = re.sub(r"[^\w\s]", "", words).strip().lower()
    return STRENGTH_WORDS.get(cleaned)
