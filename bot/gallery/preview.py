"""Pictures of the styles on offer: numbered thumbnails in a grid, one photo to send before the
buttons. `python -m bot.gallery docs/gallery.jpg` writes the gallery's."""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont, ImageOps

from bot.gallery.catalogue import picture_bytes
from bot.gallery.folder import GalleryStyle
from stylebot.images import BadImage, decode_rgb

CELL = 240  # px a thumbnail: four across make a 1000 px picture, which Telegram shows whole
GAP = 10
BACKGROUND = (30, 31, 36)
MISSING = (90, 90, 96)  # a picture that cannot be read keeps its place and number
BADGE, INK, RING = (255, 255, 255), (20, 20, 24), (20, 20, 24)
LABEL_SIZE = 46  # px of a digit's cap height-ish: about 16 pt on a phone's chat view
QUALITY = 90
# The pictures were accepted (or drawn) already; Pillow's own bomb limit still applies.
_TRUSTED_PIXELS = 1 << 40

_previews: dict[tuple[object, ...], bytes] = {}
_previewing = threading.Lock()
_KEPT = 8  # previews kept: a few gallery folders' worth


def _thumbnail(data: bytes) -> Image.Image:
    try:
        picture = decode_rgb(data, max_pixels=_TRUSTED_PIXELS, max_side=2 * CELL)
    except BadImage:
        return Image.new("RGB", (CELL, CELL), MISSING)
    return ImageOps.fit(picture, (CELL, CELL), Image.Resampling.LANCZOS)


def _text_mask(label: str, size: int) -> Image.Image:
    """The label as an "L" mask about `size` px high: FreeType when Pillow has it, else its
    small bitmap font scaled up."""
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        small = _text_mask_with(label, ImageFont.load_default())
        scale = size / max(1, small.height)
        return small.resize((round(small.width * scale), size), Image.Resampling.NEAREST)
    return _text_mask_with(label, font)


def _text_mask_with(label: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> Image.Image:
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), label, font=font)
    mask = Image.new("L", (math.ceil(right - left) + 4, math.ceil(bottom - top) + 4), 0)
    # A thin stroke of the same ink makes the regular font read as bold at a glance.
    ImageDraw.Draw(mask).text(
        (2 - left, 2 - top), label, fill=255, font=font, stroke_width=1, stroke_fill=255
    )
    return mask


def _badge(cell: Image.Image, label: str) -> None:
    """A white disc (a pill for long labels) with the label in dark ink, in the top-left corner."""
    text = _text_mask(label, LABEL_SIZE)
    height = round(LABEL_SIZE * 1.55)
    width = max(height, text.width + height // 2)
    left = top = GAP
    draw = ImageDraw.Draw(cell)
    draw.rounded_rectangle(
        (left, top, left + width, top + height), radius=height // 2, fill=BADGE, outline=RING, width=3
    )
    ink = Image.new("RGB", text.size, INK)
    cell.paste(ink, (left + (width - text.width) // 2 + 1, top + (height - text.height) // 2 + 1), text)


def grid(pictures: Sequence[bytes], *, labels: Sequence[str], columns: int | None = None) -> bytes:
    """A JPEG of the pictures as square thumbnails in rows, each with its label on a badge; three or
    fewer in one row, more in a near-square grid."""
    if len(pictures) != len(labels) or not pictures:
        raise ValueError("one label for each picture, and at least one picture")
    count = len(pictures)
    columns = columns or (count if count <= 3 else math.ceil(math.sqrt(count)))
    rows = math.ceil(count / columns)
    sheet = Image.new("RGB", (columns * (CELL + GAP) + GAP, rows * (CELL + GAP) + GAP), BACKGROUND)
    for n, (data, label) in enumerate(zip(pictures, labels, strict=True)):
        cell = _thumbnail(data)
        _badge(cell, label)
        sheet.paste(cell, (GAP + (n % columns) * (CELL + GAP), GAP + (n // columns) * (CELL + GAP)))
    buffer = io.BytesIO()
    sheet.save(buffer, "JPEG", quality=QUALITY)
    return buffer.getvalue()


def _stamp(style: GalleryStyle) -> object:
    """What changes when a folder picture is replaced under the same name."""
    if style.path is None:
        return None
    try:
        found = style.path.stat()
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size)


def preview(styles: Sequence[GalleryStyle]) -> bytes:
    """The gallery's styles numbered 1..n in button order, as a JPEG; made once for each list."""
    key = tuple((style, _stamp(style)) for style in styles)
    with _previewing:
        if key not in _previews:
            pictures = [picture_bytes(style) or b"" for style in styles]
            made = grid(pictures, labels=[str(n) for n in range(1, len(styles) + 1)])
            if len(_previews) >= _KEPT:
                _previews.pop(next(iter(_previews)))
            _previews[key] = made
        return _previews[key]
