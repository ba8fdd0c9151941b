"""Decoding untrusted pictures safely (PIL only): used by the bot to check uploads and by the engine."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# The smallest side we accept: VGG19 pools four times before block5, so tiny inputs carry no style.
MIN_SIDE = 16
MAX_ASPECT = 20.0


class BadImage(ValueError):
    """A picture we cannot use. `code` and `values` name the reason for the bot's catalogues; the
    message says it in English (logs, the CLI)."""

    def __init__(self, code: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    format: str
    animated: bool


def _open(data: bytes, max_pixels: int) -> Image.Image:
    if not data:
        raise BadImage("empty", "the file is empty")
    try:
        with warnings.catch_warnings():
            # PIL warns, then raises, on huge images; we check the header size ourselves first.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise BadImage("unreadable", "this file is not a picture I can read (JPEG, PNG or WebP)") from exc
    except Image.DecompressionBombError as exc:  # over twice PIL's own limit: no size to show
        raise BadImage("huge", "the picture declares far more pixels than allowed") from exc
    width, height = image.size
    if width * height > max_pixels:
        raise BadImage(
            "too_large",
            f"the picture is too large ({width}×{height}); please send a smaller one",
            width=width,
            height=height,
        )
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


def inspect_image(data: bytes, *, max_pixels: int) -> ImageInfo:
    """Checks that `data` is a usable picture without keeping it decoded; raises BadImage otherwise."""
    image = _open(data, max_pixels)
    try:
        image.load()  # decodes fully: catches truncated files that the header alone would pass
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadImage("damaged", "the picture is damaged or incomplete") from exc
    _check_shape(*image.size)
    return ImageInfo(
        width=image.width,
        height=image.height,
        format=image.format or "unknown",
        animated=bool(getattr(image, "is_animated", False)),
    )


def decode_rgb(data: bytes, *, max_pixels: int) -> Image.Image:
    """Decodes to an upright RGB picture: EXIF orientation applied, first frame, transparency on white."""
    image = _open(data, max_pixels)
    try:
        image.seek(0)
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadImage("damaged", "the picture is damaged or incomplete") from exc
    _check_shape(*image.size)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: PIL's convert("RGB") clips instead of scaling, so scale to 8 bits first.
        image = image.point(lambda v: v / 257).convert("L")
    return image.convert("RGB")


def encode(image: Image.Image, fmt: str = "JPEG") -> bytes:
    """JPEG (quality 95) for Telegram photos, or PNG."""
    buffer = io.BytesIO()
    if fmt.upper() == "PNG":
        image.save(buffer, "PNG", optimize=False)
    else:
        image.save(buffer, "JPEG", quality=95, subsampling=0)
    return buffer.getvalue()
