"""The style gallery: built-in pictures drawn in code, merged with the owner's folder, and the
numbered preview sent before the buttons."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bot import gallery
from bot.gallery import artwork, catalogue
from bot.gallery.__main__ import main as write_preview
from bot.gallery.preview import CELL, GAP, LABEL_SIZE
from bot.keyboards import STYLE_PATTERN, parse_style
from testkit.botprocess import PROJECT_ROOT
from testkit.pictures import jpeg_bytes, png_bytes, style_texture


def picture(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def colour_histogram(image: Image.Image) -> np.ndarray:
    """Shares of the pixels in 4×4×4 colour boxes."""
    boxes = np.asarray(image) // 64
    index = boxes[..., 0] * 16 + boxes[..., 1] * 4 + boxes[..., 2]
    return np.bincount(index.ravel(), minlength=64) / index.size


def edge_strength(image: Image.Image) -> float:
    """Mean absolute difference of neighbouring pixels' brightness, 0..1."""
    grey = np.asarray(image.convert("L"), np.float32) / 255
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


@pytest.fixture(scope="module")
def built_ins() -> dict[str, Image.Image]:
    return {art.slug: picture(catalogue.built_in_picture(art.slug)) for art in artwork.BUILT_INS}


def test_at_least_eight_built_ins_each_with_its_own_colours_and_a_texture_at_several_scales(
    built_ins: dict[str, Image.Image],
) -> None:
    assert len(built_ins) >= 8
    for slug, image in built_ins.items():
        assert image.size == (artwork.SIDE, artwork.SIDE), slug
        assert edge_strength(image) > 0.01 and edge_strength(image.reduce(4)) > 0.03, f"{slug} is flat"
    histograms = {slug: colour_histogram(image) for slug, image in built_ins.items()}
    for first, second in itertools.combinations(histograms, 2):
        # Total variation distance: the share of pixels that would have to change colour box.
        apart = 0.5 * np.abs(histograms[first] - histograms[second]).sum()
        assert apart > 0.3, f"{first} and {second} have nearly the same colours"


def test_built_ins_are_the_same_at_every_drawing() -> None:
    for art in artwork.BUILT_INS:
        assert np.array_equal(np.asarray(art.render(96)), np.asarray(art.render(96))), art.slug
    # And kept: the second call gives the bytes drawn the first time.
    assert catalogue.built_in_picture("mosaic") is catalogue.built_in_picture("mosaic")


def test_without_a_folder_the_gallery_is_the_built_ins_with_short_stable_keys() -> None:
    styles = gallery.list_styles(None)
    assert [(s.slug, s.name) for s in styles] == [(a.slug, a.name) for a in artwork.BUILT_INS]
    assert len({s.key for s in styles}) == len(styles) and len({s.name for s in styles}) == len(styles)
    for style in styles:
        data = f"style:g:{style.key}"
        assert len(data.encode()) <= 64 and STYLE_PATTERN.match(data), data
        assert parse_style(data) is not None and parse_style(data).key == style.key  # type: ignore[union-attr]
        assert re.fullmatch(r"[0-9a-f]{10}", style.key) is None, "a folder picture's key has that shape"
        assert style.path is None and style.slug is not None and style.name[0].isupper()


def test_a_folder_comes_first_and_a_picture_named_like_a_built_in_takes_its_place(tmp_path: Path) -> None:
    starry = png_bytes(style_texture(48))
    (tmp_path / "starry_night.png").write_bytes(starry)
    (tmp_path / "Mosaic.jpg").write_bytes(jpeg_bytes(style_texture(40)))
    (tmp_path / "notes.txt").write_text("not a picture")
    styles = gallery.list_styles(tmp_path)
    names = [s.name for s in styles]
    built_in_names = [a.name for a in artwork.BUILT_INS if a.name != "Mosaic"]
    assert names == ["Mosaic", "Starry night", *built_in_names][: catalogue.MAX_STYLES]
    assert len({s.key for s in styles}) == len(styles)
    assert styles[0].slug is None and styles[0].path == tmp_path / "Mosaic.jpg"

    found = gallery.read_style(tmp_path, styles[1].key)
    assert found is not None and found == (styles[1], starry)
    glass = next(s for s in styles if s.slug == "stained_glass")
    found = gallery.read_style(tmp_path, glass.key)
    assert found is not None and found[0] == glass
    assert picture(found[1]).size == (artwork.SIDE, artwork.SIDE)
    assert found[1] == catalogue.built_in_picture("stained_glass")

    assert gallery.read_style(tmp_path, "0123456789") is None
    (tmp_path / "starry_night.png").unlink()
    assert gallery.read_style(tmp_path, styles[1].key) is None, "a picture taken away is gone"


def test_a_full_folder_leaves_room_for_a_few_built_ins_and_old_buttons_still_work(tmp_path: Path) -> None:
    for n in range(15):
        (tmp_path / f"style_{n:02}.png").write_bytes(png_bytes(style_texture(24)))
    styles = gallery.list_styles(tmp_path)
    assert len(styles) == catalogue.MAX_STYLES
    assert [s.slug for s in styles[:12]] == [None] * 12 and all(s.slug for s in styles[12:])
    last = artwork.BUILT_INS[-1]
    assert last.key not in {s.key for s in styles}
    found = gallery.read_style(tmp_path, last.key)  # a button sent before the folder filled up
    assert found is not None and found[0].slug == last.slug


def cells(sheet: Image.Image, count: int, columns: int) -> list[Image.Image]:
    return [
        sheet.crop(
            (
                GAP + (n % columns) * (CELL + GAP),
                GAP + (n // columns) * (CELL + GAP),
                GAP + (n % columns) * (CELL + GAP) + CELL,
                GAP + (n // columns) * (CELL + GAP) + CELL,
            )
        )
        for n in range(count)
    ]


def badge_digits(cell: Image.Image) -> np.ndarray:
    """The dark ink inside the white badge in the cell's top-left corner (a square within it)."""
    middle = GAP + round(LABEL_SIZE * 1.55) // 2
    inside = np.asarray(cell.crop((middle - 22, middle - 22, middle + 22, middle + 22)).convert("L"))
    assert (inside > 200).mean() > 0.4, "the badge is white"
    return inside < 100


def test_the_preview_shows_each_style_in_button_order_with_a_big_number() -> None:
    styles = gallery.list_styles(None)
    preview = gallery.preview(styles)
    assert gallery.preview(list(styles)) is preview, "made once for a list of styles"
    sheet = picture(preview)
    columns = 4
    rows = -(-len(styles) // columns)
    assert sheet.size == (columns * (CELL + GAP) + GAP, rows * (CELL + GAP) + GAP)

    shown = cells(sheet, len(styles), columns)
    # The bottom-right quarter of each cell (clear of the badge) against each style's picture.
    quarters = [np.asarray(cell.crop((CELL // 2, CELL // 2, CELL, CELL)), np.float32) for cell in shown]
    originals = [
        np.asarray(
            picture(catalogue.built_in_picture(s.slug or ""))
            .resize((CELL, CELL), Image.Resampling.LANCZOS)
            .crop((CELL // 2, CELL // 2, CELL, CELL)),
            np.float32,
        )
        for s in styles
    ]
    for n, quarter in enumerate(quarters):
        distances = [np.abs(quarter - original).mean() for original in originals]
        assert int(np.argmin(distances)) == n, f"cell {n + 1} does not show {styles[n].name}"

    digits = [badge_digits(cell) for cell in shown]
    for n, ink in enumerate(digits):
        rows_with_ink = np.flatnonzero(ink.any(axis=1))
        assert rows_with_ink.size and rows_with_ink[-1] - rows_with_ink[0] >= 28, f"number {n + 1} is small"
    for first, second in itertools.combinations(range(len(digits)), 2):
        assert (digits[first] != digits[second]).mean() > 0.02, (
            f"numbers {first + 1} and {second + 1} look alike"
        )


def test_a_grid_of_any_pictures_labels_each_and_keeps_the_place_of_an_unreadable_one() -> None:
    pictures = [
        jpeg_bytes(Image.new("RGB", (300, 200), (200, 30, 30))),
        png_bytes(Image.new("RGB", (64, 64), (30, 30, 200))),
        b"not a picture",
    ]
    sheet = picture(gallery.grid(pictures, labels=["1", "2", "3"]))
    assert sheet.size == (3 * (CELL + GAP) + GAP, CELL + 2 * GAP), "three or fewer in one row"
    red, blue, missing = (
        np.asarray(c.crop((CELL // 2, CELL // 2, CELL, CELL))).mean((0, 1)) for c in cells(sheet, 3, 3)
    )
    assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]
    assert np.ptp(missing) < 10, "a grey cell where the picture could not be read"
    assert all(badge_digits(cell).any() for cell in cells(sheet, 3, 3))
    with pytest.raises(ValueError):
        gallery.grid(pictures, labels=["1", "2"])


def test_docs_shows_the_gallery_the_code_draws_now(tmp_path: Path) -> None:
    """docs/gallery.jpg is what `python -m bot.gallery docs/gallery.jpg` writes today: a style drawn
    anew, added, dropped or moved makes it stale. Each cell is compared, with room for what another
    Pillow or FreeType changes in a JPEG (a few levels), not for another picture (tens)."""
    write_preview([str(tmp_path / "gallery.jpg")])
    written = Image.open(tmp_path / "gallery.jpg")
    committed = Image.open(PROJECT_ROOT / "docs" / "gallery.jpg")
    assert written.format == committed.format == "JPEG"
    assert written.size == committed.size, "docs/gallery.jpg is stale: python -m bot.gallery docs/gallery.jpg"
    count = len(gallery.list_styles(None))
    columns = (written.width - GAP) // (CELL + GAP)
    pairs = zip(
        cells(written.convert("RGB"), count, columns),
        cells(committed.convert("RGB"), count, columns),
        strict=True,
    )
    for n, (now, then) in enumerate(pairs, start=1):
        difference = np.abs(np.asarray(now, np.float32) - np.asarray(then, np.float32)).mean()
        assert difference < 6, (
            f"cell {n} of docs/gallery.jpg is stale: python -m bot.gallery docs/gallery.jpg"
        )
