"""Untrusted pictures: what is refused before decoding, what is repaired, what is kept."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from functools import cache

import numpy as np
import pytest
from PIL import Image

from stylebot.images import (
    BadImage,
    check_upload,
    decode_rgb,
    encode,
    inspect_image,
    shrink_for_storage,
)
from stylebot.settings import Settings
from testkit.pictures import cat_photo, encoded, heic_declaring, jpeg_bytes, png_bytes

LIMIT = Settings.model_fields["image_max_pixels"].default


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
        (png_header_only(14_000, 12_000), r"too large \(14000×12000\)"),
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


def gradient() -> Image.Image:
    """A smooth colour gradient, 120×85."""
    corners = np.zeros((85, 120, 3), np.uint8)
    corners[..., 0] = np.linspace(30, 230, 120)[None, :]
    corners[..., 1] = np.linspace(200, 40, 85)[:, None]
    corners[..., 2] = 120
    return Image.fromarray(corners)


@cache
def phone_photo() -> bytes:
    """A real 102-megapixel JPEG (12000×8500, a phone's 108 MP class) of a smooth gradient, so it
    is made in half a second and encodes to under 2 MB: smooth at 1/8, then each pixel a JPEG block."""
    smooth = gradient().resize((1500, 1063), Image.Resampling.BILINEAR)
    return jpeg_bytes(smooth.resize((12_000, 8_500), Image.Resampling.NEAREST), quality=80)


def test_a_100_megapixel_phone_photo_is_accepted_stored_smaller_and_decoded_small() -> None:
    photo = phone_photo()
    info = inspect_image(photo, max_pixels=LIMIT)
    assert (info.width, info.height, info.format) == (12_000, 8_500, "JPEG")

    stored = shrink_for_storage(photo, max_pixels=LIMIT)
    kept = Image.open(io.BytesIO(stored))
    assert kept.format == "JPEG" and kept.size == (1500, 1063)  # decoded at 1/8: within 2048, over half
    assert len(stored) < len(photo) / 4
    difference = np.asarray(kept.resize(gradient().size, Image.Resampling.BOX), float) - np.asarray(
        gradient(), float
    )
    assert np.abs(difference).mean() < 4, "the stored picture is the photo, smaller"

    engine = decode_rgb(photo, max_pixels=LIMIT, max_side=384)
    assert engine.size == (500, 355), "1/8 while decoding, then 1/3: at least 384 px, under twice"
    assert engine.mode == "RGB"


def test_damage_is_found_in_a_big_jpeg_decoded_at_an_eighth() -> None:
    photo = phone_photo()
    with pytest.raises(BadImage, match="damaged or incomplete"):
        inspect_image(photo[: len(photo) * 2 // 3], max_pixels=LIMIT)


def test_small_uploads_are_stored_as_sent_and_large_files_as_a_jpeg() -> None:
    small = jpeg_bytes(cat_photo())
    assert shrink_for_storage(small, max_pixels=LIMIT) == small
    animated = io.BytesIO()
    frames = [cat_photo(), cat_photo().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:])
    assert shrink_for_storage(animated.getvalue(), max_pixels=LIMIT) == animated.getvalue()
    # A picture within the side limit, but a heavy file: re-encoded at its size.
    noisy = Image.fromarray(np.random.default_rng(0).integers(0, 256, (300, 400, 3), dtype=np.uint8))
    heavy = png_bytes(noisy)
    stored = shrink_for_storage(heavy, max_pixels=LIMIT, max_bytes=len(heavy) // 2)
    assert Image.open(io.BytesIO(stored)).format == "JPEG" and Image.open(io.BytesIO(stored)).size == (
        400,
        300,
    )


def half_clear(mode: str) -> bytes:
    """A 900×300 PNG in `mode`: a dark grey left half; the right half clear where the mode has
    transparency, else light."""
    rgba = Image.new("RGBA", (900, 300), (0, 0, 0, 0))
    rgba.paste((60, 60, 60, 255), (0, 0, 450, 300))
    if mode == "RGBA":
        return png_bytes(rgba)
    if mode == "P":
        palette = Image.new("P", (900, 300), 1)
        palette.putpalette([255, 0, 255, 60, 60, 60])  # index 0, magenta, is the clear one
        palette.paste(0, (450, 0, 900, 300))
        return encoded_png(palette, transparency=0)
    light = Image.new("L", (900, 300), 230)
    light.paste(60, (0, 0, 450, 300))
    if mode == "I;16":
        return png_bytes(Image.fromarray(np.asarray(light, np.uint16) * 257))
    return png_bytes(light.convert(mode))


def encoded_png(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["RGBA", "P", "I;16", "1", "L"])
def test_a_big_png_is_shrunk_by_a_whole_factor_in_any_mode(mode: str) -> None:
    data = half_clear(mode)
    kept = Image.open(io.BytesIO(shrink_for_storage(data, max_pixels=LIMIT, max_side=400)))
    assert kept.format == "JPEG" and kept.size == (300, 100)  # 900 / 3: within 400, over half of it
    left, right = (
        np.asarray(kept.convert("L"), float)[:, 10:140],
        np.asarray(kept.convert("L"), float)[:, 160:290],
    )
    # Clear is white, light stays light, dark stays dark ("1" is dithered: the same on average).
    assert right.mean() > 220 and abs(left.mean() - 60) < 12
    assert decode_rgb(data, max_pixels=LIMIT, max_side=200).size == (225, 75)  # 900 / 4: still >= 200
    assert decode_rgb(data, max_pixels=LIMIT, max_side=500).size == (900, 300)  # under twice: as it is


def test_exif_orientation_survives_shrinking() -> None:
    landscape = cat_photo(640)  # 640×426
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    landscape.save(buffer, "JPEG", exif=exif.tobytes())
    assert decode_rgb(buffer.getvalue(), max_pixels=LIMIT, max_side=100).size == (107, 160)
    stored = Image.open(io.BytesIO(shrink_for_storage(buffer.getvalue(), max_pixels=LIMIT, max_side=320)))
    assert stored.size == (213, 320) and not stored.getexif().get(0x0112)


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF"])
def test_iphone_heic_and_avif_decode_upright_and_are_stored_as_jpeg(fmt: str) -> None:
    """An iPhone's HEIC (pillow-heif) and AVIF (Pillow itself), turned as their EXIF says: the same
    picture as the JPEG path gives, and stored as a JPEG that every reader (and Telegram) knows."""
    landscape = cat_photo()  # 64×43
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    data = encoded(landscape, fmt, exif=exif.tobytes(), quality=90)
    info = inspect_image(data, max_pixels=LIMIT)
    assert (info.format, info.animated) == (fmt, False)
    upright = decode_rgb(data, max_pixels=LIMIT)
    expected = np.asarray(landscape.transpose(Image.Transpose.ROTATE_270), float)
    assert upright.size == (43, 64)
    assert np.abs(np.asarray(upright, float) - expected).mean() < 12, "the same picture, turned once"
    stored = shrink_for_storage(data, max_pixels=LIMIT)
    with Image.open(io.BytesIO(stored)) as kept:
        assert kept.format == "JPEG" and kept.size == (43, 64) and not kept.getexif().get(0x0112)


@pytest.mark.parametrize(
    ("declared", "reason"),
    [
        ((50_000, 50_000), "far more pixels than allowed"),
        ((14_000, 12_000), r"too large \(14000×12000\)"),
        ((9000, 8000), "damaged or incomplete"),  # within the limit: decoded, and the pixels are missing
    ],
)
def test_a_heic_bomb_is_refused_from_its_header(declared: tuple[int, int], reason: str) -> None:
    """A real 64×64 HEIC whose header declares more: refused by the declared size before any
    decoding (a decoded one would be "damaged", not "too large"), with every call that reads it."""
    data = heic_declaring(*declared)
    for read in (inspect_image, decode_rgb, shrink_for_storage, check_upload):
        with pytest.raises(BadImage, match=reason):
            read(data, max_pixels=LIMIT)


@pytest.mark.parametrize(
    "make",
    [
        lambda: jpeg_bytes(cat_photo()),
        lambda: png_bytes(cat_photo()),
        lambda: encoded(cat_photo(), "HEIF"),
        lambda: encoded(cat_photo(), "AVIF"),
    ],
    ids=["jpeg", "png", "heic", "avif"],
)
def test_the_bots_check_and_store_in_one_gives_what_the_two_steps_give(make: Callable[[], bytes]) -> None:
    """check_upload decodes a HEIC once where inspect_image and shrink_for_storage decode it twice;
    what it says and stores is the same."""
    data = make()
    assert check_upload(data, max_pixels=LIMIT) == (
        inspect_image(data, max_pixels=LIMIT),
        shrink_for_storage(data, max_pixels=LIMIT),
    )
