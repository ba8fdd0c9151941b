"""A painting's caption: what it is, in words, wherever it is sent (delivered, or sent again)."""

from __future__ import annotations

from bot.texts.catalogue import text
from bot.texts.choices import request_style_name, strength_named
from bot.texts.status import note_text
from stylebot.choices import Brush, Size, Strength
from stylebot.delivery import Pending
from stylebot.models import Request


def caption(lang: str, request: Pending | Request, strength: Strength | None = None) -> str:
    """Its style and strength (`strength`: a comparison's picture), and the colours, brush and size
    when they are not the usual ones (pixels and seconds are in /history)."""
    parts = [
        request_style_name(lang, request.style_name, request.style_file_id),
        text(lang, "strength_chosen", strength=strength_named(lang, strength or request.strength)),
    ]
    if request.keep_colors:
        parts.append(text(lang, "colors_kept"))
    if request.brush != Brush.MEDIUM:
        parts.append(text(lang, f"brush_caption_{request.brush}"))
    if request.size == Size.LARGE:
        parts.append(text(lang, "size_caption_large"))
    said = " · ".join(parts)
    note = note_text(lang, request.note)
    return f"{said}\n{note}" if note else said
