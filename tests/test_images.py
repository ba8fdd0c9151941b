"""Untrusted pictures: what is refused before decoding, what is repaired, what is kept."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from stylebot.images import BadImage, decode_rgb, encode, inspect_image
from tests.conftest import cat_photo, jpeg_bytes, png_bytes

LIMIT = 40_000_000


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares width×height but carries almost no data: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a picture", "not a picture"),
        (png_header_only(50_000, 50_000), "far more pixels than allowed"),
        (png_bytes(Image.new("RGB", (1, 1))), "too small"),
        (png_bytes(Image.new("RGB", (1, 5000))), "too small"),
        (png_bytes(Image.new("RGB", (20, 1000))), "too narrow"),
    ],
)
def test_unusable_pictures_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(BadImage, match=reason):
        inspect_image(data, max_pixels=LIMIT)
    with pytest.raises(BadImage, match=reason):
        decode_rgb(data, max_pixels=LIMIT)


def test_a_truncated_jpeg_is_refused() -> None:
    whole = jpeg_bytes(cat_photo())
    with pytest.raises(BadImage, match="damaged or incomplete"):
        inspect_image(whole[: len(whole) // 2], max_pixels=LIMIT)


def test_exif_orientation_is_applied() -> None:
    landscape = cat_photo()  # 64×43
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    buffer = io.BytesIO()
    landscape.save(buffer, "JPEG", exif=exif.tobytes())
    upright = decode_rgb(buffer.getvalue(), max_pixels=LIMIT)
    assert upright.size == (43, 64)


@pytest.mark.parametrize("mode", ["CMYK", "L", "I;16", "P-transparent", "RGBA", "animated"])
def test_other_modes_decode_to_rgb(mode: str) -> None:
    base = cat_photo()
    buffer = io.BytesIO()
    if mode == "CMYK":
        base.convert("CMYK").save(buffer, "JPEG")
    elif mode == "I;16":
        grey = (np.asarray(base.convert("L"), dtype=np.uint16) * 257).astype(np.uint16)
        sixteen = Image.fromarray(grey)
        assert sixteen.mode.startswith("I;16")
        sixteen.save(buffer, "PNG")
    elif mode == "P-transparent":
        palette = base.convert("P", palette=Image.Palette.ADAPTIVE)
        palette.info["transparency"] = 0
        palette.save(buffer, "PNG", transparency=0)
    elif mode == "animated":
        frames = [base, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
        frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    else:
        base.convert(mode).save(buffer, "PNG")
    data = buffer.getvalue()
    info = inspect_image(data, max_pixels=LIMIT)
    assert info.animated == (mode == "animated")
    image = decode_rgb(data, max_pixels=LIMIT)
    assert image.mode == "RGB" and image.size == base.size
    if mode == "I;16":  # scaled to 8 bits, not clipped to white
        assert 40 < np.asarray(image).mean() < 200


def test_encode_gives_jpeg_and_png() -> None:
    image = cat_photo()
    assert Image.open(io.BytesIO(encode(image))).format == "JPEG"
    assert Image.open(io.BytesIO(encode(image, "PNG"))).format == "PNG"
