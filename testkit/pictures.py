"""Small real pictures for tests and load runs: scikit-image's cat, and a texture made in code; in
JPEG, PNG, and an iPhone's HEIC and AVIF (pillow-heif writes HEIC, Pillow AVIF)."""

from __future__ import annotations

import io
import struct

import numpy as np
import pillow_heif
from PIL import Image
from skimage import data as skdata

pillow_heif.register_heif_opener()


def jpeg_bytes(image: Image.Image, quality: int = 92) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    """`image` saved as `fmt` ("HEIF", "AVIF", ...)."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def heic_declaring(width: int, height: int) -> bytes:
    """A real 64×64 HEIC whose header (its `ispe` box) declares width×height: a decompression
    bomb's first bytes. (64×64 needs no `clap` box, which would say the size again.)"""
    data = bytearray(encoded(style_texture(64), "HEIF"))
    box = data.find(b"ispe")
    assert box != -1 and b"clap" not in data
    data[box + 8 : box + 16] = struct.pack(">II", width, height)  # after the type and version/flags
    return bytes(data)


def cat_photo(side: int = 64) -> Image.Image:
    """scikit-image's cat (a real photo, 451×300), long side `side`."""
    image = Image.fromarray(skdata.chelsea())
    return image.resize((side, round(side * image.height / image.width)), Image.Resampling.LANCZOS)


def gravel(side: int = 64) -> Image.Image:
    """scikit-image's gravel, a fine grey texture: its colours alone are most of its Gram statistics."""
    return Image.fromarray(skdata.gravel()).convert("RGB").resize((side, side), Image.Resampling.LANCZOS)


def style_texture(side: int = 64) -> Image.Image:
    """A painterly texture made in code: coloured diagonal waves with strong edges."""
    y, x = np.mgrid[0:side, 0:side].astype(np.float32)
    waves = np.sin((x + y) / 3.0) + 0.6 * np.sin(x / 1.7 - y / 5.0)
    rgb = np.stack(
        [
            0.5 + 0.5 * np.sin(waves * 2.0),
            0.5 + 0.5 * np.sin(waves * 2.0 + 2.1),
            0.5 + 0.5 * np.sin(waves * 2.0 + 4.2),
        ],
        axis=-1,
    )
    return Image.fromarray((rgb * 255).astype(np.uint8), "RGB")


CAT = jpeg_bytes(cat_photo())
WAVES = png_bytes(style_texture())
