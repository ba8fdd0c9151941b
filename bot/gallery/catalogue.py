"""The gallery offered after the content photo: the owner's folder (STYLE_GALLERY_DIR), then the
built-in styles. A folder picture named like a built-in ("mosaic.jpg") takes its place.

Called through asyncio.to_thread: these read files and draw pictures.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from bot.gallery.artwork import BUILT_INS, Artwork
from bot.gallery.folder import GalleryStyle, folder_styles

MAX_STYLES = 16  # buttons in all: the folder's (up to 12) first, then as many built-ins as fit
JPEG_QUALITY = 92

_drawn: dict[str, bytes] = {}  # slug -> JPEG, drawn at first use
_drawing = threading.Lock()


def _built_in(artwork: Artwork) -> GalleryStyle:
    return GalleryStyle(artwork.name, artwork.key, slug=artwork.slug)


def built_in_picture(slug: str) -> bytes:
    """The built-in style's JPEG bytes, drawn once and then kept in memory."""
    with _drawing:  # several users asking at once get the one drawing
        if slug not in _drawn:
            [artwork] = [a for a in BUILT_INS if a.slug == slug]
            buffer = io.BytesIO()
            artwork.render().save(buffer, "JPEG", quality=JPEG_QUALITY)
            _drawn[slug] = buffer.getvalue()
        return _drawn[slug]


def list_styles(folder: Path | None) -> list[GalleryStyle]:
    """The styles to offer, in button order."""
    own = folder_styles(folder)
    taken = {style.name.casefold() for style in own}
    built_in = [_built_in(a) for a in BUILT_INS if a.name.casefold() not in taken]
    return (own + built_in)[:MAX_STYLES]


def picture_bytes(style: GalleryStyle) -> bytes | None:
    """The style's picture; None if its file is gone or unreadable."""
    if style.slug is not None:
        return built_in_picture(style.slug)
    if style.path is None:
        return None
    try:
        return style.path.read_bytes()
    except OSError:
        return None


def read_style(folder: Path | None, key: str) -> tuple[GalleryStyle, bytes] | None:
    """The style with `key` and its bytes; None if it is no longer there. Every built-in is found,
    also one that a full folder keeps off the buttons now (a button sent earlier still works)."""
    for style in folder_styles(folder) + [_built_in(a) for a in BUILT_INS]:
        if style.key == key:
            data = picture_bytes(style)
            return None if data is None else (style, data)
    return None
