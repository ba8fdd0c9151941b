"""The choices in words: strengths, sizes and gallery styles on buttons, and a strength named in a
caption or a typed answer."""

from __future__ import annotations

from bot.gallery.artwork import GALLERY_FILE_PREFIX, slug_of_key
from bot.texts.catalogue import text
from bot.texts.typed import read_typed
from stylebot.choices import Brush, Size, Strength


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


def brush_label(lang: str, brush: Brush) -> str:
    """ "Fine" for Brush.FINE, as on a /settings button."""
    return text(lang, f"brush_{brush}")


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


def strength_from_words(words: str | None) -> Strength | None:
    """A strength named in a caption or a message, if that is all it says: "strong", "Сильно",
    "強烈", "very light", or 1 (lightest) to 5 (bot.texts.typed reads it)."""
    typed = read_typed(words)
    return typed.strength if typed is not None else None
