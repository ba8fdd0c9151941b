"""The choices in words: strengths, sizes and gallery styles on buttons, and a strength named in a
caption or a typed answer."""

from __future__ import annotations

import re

from bot.gallery.artwork import GALLERY_FILE_PREFIX, slug_of_key
from bot.texts.catalogue import CATALOGUES, text
from stylebot.choices import Size, Strength


def strength_label(lang: str, strength: Strength) -> str:
    """ "Medium" for Strength.MEDIUM, as on a button."""
    return text(lang, f"strength_{strength}")


def strength_named(lang: str, strength: Strength) -> str:
    """The strength as said after "Strength:" ("Сила: средняя")."""
    return text(lang, f"strength_as_{strength}")


def quoted(lang: str, label: str) -> str:
    """A button's label as a sentence names it: “Medium”, «Средне»."""
    return text(lang, "quoted", label=label)


def size_label(lang: str, size: Size) -> str:
    return text(lang, f"size_{size}")


def style_name(lang: str, name: str, slug: str | None) -> str:
    """A gallery style's name: a built-in's in the user's language, a folder picture's as it is."""
    return text(lang, f"style_{slug}") if slug is not None else name


def request_style_name(lang: str, name: str | None, style_file_id: str) -> str:
    """What a request's style is called: a gallery style's name, else "Your style"."""
    if name is None:
        return text(lang, "your_style")
    gallery = style_file_id.startswith(GALLERY_FILE_PREFIX)
    return style_name(
        lang, name, slug_of_key(style_file_id.removeprefix(GALLERY_FILE_PREFIX)) if gallery else None
    )


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
