"""Decoding untrusted pictures safely (PIL only): used by the bot to check uploads and by the engine.

JPEG, PNG, WebP and GIF as Pillow reads them; AVIF too (Pillow reads it itself); HEIC/HEIF, the
iPhone's originals, through pillow-heif's plugin, registered here so that every process that decodes
pictures (the bot, the engine's workers, the CLI) reads them alike.

Pictures of any size a camera makes are taken. A JPEG is decoded at 1/2, 1/4 or 1/8 of its size
when that is all we need (Pillow's draft mode: libjpeg scales while it decodes), so a 100 MP phone
photo costs about what a 2 MP one does. Other formats can only be decoded whole; their header's
size is checked against the limit first, and only one big one is decoded at a time.
"""

from __future__ import annotations

import contextlib
import io
import math
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import pillow_heif
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

# The smallest side we accept: VGG19 pools four times before block5, so tiny inputs carry no style.
MIN_SIDE = 16
MAX_ASPECT = 20.0
# What is kept of an upload: its long side at most this (larger ones are shrunk to a JPEG): the
# largest "large" size of any engine budget (engine.params), unless ENGINE_LARGE_SIDE asks for more
# (stored_side). Keeping more would store pixels no engine size ever paints ...
STORED_MAX_SIDE = 2048
# ... and at most this many bytes as sent (a larger file is re-encoded as a JPEG).
STORED_MAX_BYTES = 4_000_000
STORED_QUALITY = 90
# What may be stored as sent: formats every reader of the store knows and Telegram shows. Anything
# else (HEIC, AVIF) is stored as a JPEG.
KEPT_AS_SENT = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
# Decodes of more pixels than this wait for each other, so a few users sending big PNGs at once
# cannot stack their memory (up to 4 bytes a pixel each).
_BIG_DECODE_PIXELS = 24_000_000
_big_decode = threading.Lock()


class BadImage(ValueError):
    """A picture we cannot use. `code` and `values` name the reason for the bot's catalogues; the
    message says it in English (logs, the CLI)."""

    def __init__(self, code: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class ImageInfo:
    width: int  # as the file declares it, before any EXIF rotation
    height: int
    format: str
    animated: bool


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Opens (reads the header only) and refuses what is unreadable, a bomb or the wrong shape."""
    if not data:
        raise BadImage("empty", "the file is empty")
    try:
        with warnings.catch_warnings():
            # PIL warns, then raises, on huge images; we check the header size ourselves.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise BadImage(
            "unreadable", "this file is not a picture I can read (JPEG, PNG, WebP, HEIC or AVIF)"
        ) from exc
    except (ValueError, RuntimeError) as exc:  # pillow-heif's words for a broken container
        raise BadImage("damaged", "the picture is damaged or incomplete") from exc
    except Image.DecompressionBombError as exc:  # over twice PIL's own limit (179 MP): no size to show
        raise BadImage("huge", "the picture declares far more pixels than allowed") from exc
    width, height = image.size
    if width * height > max_pixels:
        raise BadImage(
            "too_large",
            f"the picture is too large ({width}×{height}); please send a smaller one",
            width=width,
            height=height,
        )
    _check_shape(width, height)
    return image


def _check_shape(width: int, height: int) -> None:
    if min(width, height) < MIN_SIDE:
        raise BadImage(
            "too_small",
            f"the picture is too small ({width}×{height}); it needs at least {MIN_SIDE} px a side",
            width=width,
            height=height,
            min_side=MIN_SIDE,
        )
    if max(width, height) / min(width, height) > MAX_ASPECT:
        raise BadImage(
            "too_narrow", f"the picture is too narrow ({width}×{height})", width=width, height=height
        )


@contextlib.contextmanager
def _taking_turns(image: Image.Image, header_pixels: int) -> Iterator[None]:
    """Holds the big-decode lock while `image` is decoded, if decoding it takes much memory: many
    pixels left after draft mode, or a progressive JPEG (libjpeg buffers all its coefficients)."""
    big = image.width * image.height > _BIG_DECODE_PIXELS
    if image.info.get("progressive") and header_pixels > _BIG_DECODE_PIXELS:
        big = True
    if not big:
        yield
        return
    with _big_decode:
        yield


def _load(image: Image.Image, header_pixels: int) -> None:
    try:
        with _taking_turns(image, header_pixels):
            image.load()  # decodes: catches truncated files that the header alone would pass
    except (OSError, SyntaxError, ValueError, RuntimeError) as exc:  # RuntimeError: pillow-heif
        raise BadImage("damaged", "the picture is damaged or incomplete") from exc


def _shrink_factor(long: int, *, at_least: int | None, at_most: int | None) -> int:
    """The whole factor to shrink a long side by: to at most `at_most`, or as far as it stays at
    least `at_least`; 1 when neither asks for it."""
    if at_most is not None and long > at_most:
        return math.ceil(long / at_most)
    if at_least is not None and long >= 2 * at_least:
        return long // at_least
    return 1


def _decode(image: Image.Image, *, at_least: int | None = None, at_most: int | None = None) -> Image.Image:
    """Decodes `image` (opened, not loaded) to upright RGB, shrunk by a whole factor as
    `_shrink_factor` says. A JPEG is decoded at 1/2, 1/4 or 1/8 (draft mode); what is left, and
    other formats, is shrunk by `reduce` (a box filter)."""
    width, height = image.size
    wanted = _shrink_factor(max(width, height), at_least=at_least, at_most=at_most)
    power = 1
    if at_most is not None:  # the smallest power of two that is enough, so no second step
        while power < min(wanted, 8):
            power *= 2
    else:  # the largest power of two that keeps at_least
        while power * 2 <= min(wanted, 8):
            power *= 2
    if power > 1:
        image.draft(None, (max(1, width // power), max(1, height // power)))
    _load(image, width * height)
    rest = _shrink_factor(max(image.size), at_least=at_least, at_most=at_most)
    if rest > 1:  # before converting: a big picture is not copied whole once more
        image = _reducible(image).reduce(rest)
    return _upright_rgb(image)


def _reducible(image: Image.Image) -> Image.Image:
    """`image` in a mode that Image.reduce takes (it weighs colours by alpha, so edges stay clean)."""
    if image.mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode == "1":
        return image.convert("L")
    if image.mode.startswith("I;16"):
        return image.convert("I")
    return image


def _upright_rgb(image: Image.Image) -> Image.Image:
    """EXIF orientation applied, transparency on white, 16-bit scaled to 8."""
    try:
        if image.getexif().get(ExifTags.Base.Orientation, 1) != 1:  # else it would copy the picture
            image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadImage("damaged", "the picture is damaged or incomplete") from exc
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: PIL's convert("RGB") clips instead of scaling, so scale to 8 bits first.
        image = image.point(lambda v: v / 257).convert("L")
    return image if image.mode == "RGB" else image.convert("RGB")


def inspect_image(data: bytes, *, max_pixels: int) -> ImageInfo:
    """Checks that `data` is a usable picture without keeping it decoded; raises BadImage otherwise.
    A JPEG is decoded at 1/8 of its size: every byte is still read, so damage is still found."""
    image = _open(data, max_pixels)
    width, height = image.size
    image.draft(None, (1, 1))
    _load(image, width * height)
    return ImageInfo(
        width=width,
        height=height,
        format=image.format or "unknown",
        animated=bool(getattr(image, "is_animated", False)),
    )


def _first_frame(data: bytes, max_pixels: int) -> Image.Image:
    image = _open(data, max_pixels)
    try:
        image.seek(0)
    except (OSError, EOFError, ValueError) as exc:
        raise BadImage("damaged", "the picture is damaged or incomplete") from exc
    return image


def decode_rgb(data: bytes, *, max_pixels: int, max_side: int | None = None) -> Image.Image:
    """Decodes to an upright RGB picture: EXIF orientation applied, first frame, transparency on white.

    With `max_side`, a picture of twice that or more comes back smaller, by a whole factor, with its
    long side still at least `max_side`: a JPEG shrinks while it is decoded, in bounded memory.
    """
    return _decode(_first_frame(data, max_pixels), at_least=max_side)


def shrink_for_storage(
    data: bytes, *, max_pixels: int, max_side: int = STORED_MAX_SIDE, max_bytes: int = STORED_MAX_BYTES
) -> bytes:
    """What to store of an accepted upload: `data` itself when it is a JPEG, PNG, WebP or GIF with
    its long side at most `max_side` and at most `max_bytes` long; otherwise an upright JPEG (first
    frame; EXIF, and the location in it, dropped), shrunk by a whole factor to a long side over half
    of `max_side` and at most `max_side` when it is larger: a JPEG is shrunk while it is decoded, in
    bounded memory."""
    image = _first_frame(data, max_pixels)
    if _kept_as_sent(image, data, max_side=max_side, max_bytes=max_bytes):
        return data
    return _stored_jpeg(_decode(image, at_most=max_side))


def stored_side(engine_large_side: int | None) -> int:
    """The long side an upload is stored at: what the largest output size the deployment allows
    can use."""
    return max(STORED_MAX_SIDE, engine_large_side or 0)


def check_upload(data: bytes, *, max_pixels: int, max_side: int = STORED_MAX_SIDE) -> tuple[ImageInfo, bytes]:
    """inspect_image, then shrink_for_storage: what an upload is, and what to store of it. A picture
    decoded whole and stored re-encoded (a HEIC, an AVIF, a big PNG) is decoded once for both: that
    decode is the check. (A JPEG is checked at 1/8; one stored as sent needs no second decode.)"""
    image = _first_frame(data, max_pixels)
    if image.format == "JPEG" or _kept_as_sent(image, data, max_side=max_side):
        stored = shrink_for_storage(data, max_pixels=max_pixels, max_side=max_side)
        return inspect_image(data, max_pixels=max_pixels), stored
    info = ImageInfo(
        width=image.width,
        height=image.height,
        format=image.format or "unknown",
        animated=bool(getattr(image, "is_animated", False)),
    )
    return info, _stored_jpeg(_decode(image, at_most=max_side))


def _kept_as_sent(
    image: Image.Image, data: bytes, *, max_side: int = STORED_MAX_SIDE, max_bytes: int = STORED_MAX_BYTES
) -> bool:
    return image.format in KEPT_AS_SENT and max(image.size) <= max_side and len(data) <= max_bytes


def _stored_jpeg(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=STORED_QUALITY)
    return buffer.getvalue()


def encode(image: Image.Image, fmt: str = "JPEG") -> bytes:
    """JPEG (quality 95) for Telegram photos, or PNG."""
    buffer = io.BytesIO()
    if fmt.upper() == "PNG":
        image.save(buffer, "PNG", optimize=False)
    else:
        image.save(buffer, "JPEG", quality=95, subsampling=0)
    return buffer.getvalue()
