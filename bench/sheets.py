"""Contact sheets: pictures in a grid of tiles, a caption under each and a heading over each column."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

CAPTION = 14  # px: one line of PIL's default font


def grid(heads: list[str], rows: list[list[tuple[Image.Image, str]]], path: Path, tile: int) -> None:
    """Writes `rows` of (picture, caption) under `heads` as a JPEG: each picture shrunk into its
    tile, centred across it."""
    columns = max(len(heads), *(len(row) for row in rows))
    picture = Image.new("RGB", (columns * tile, len(rows) * (tile + CAPTION) + CAPTION), "white")
    draw = ImageDraw.Draw(picture)
    for x, head in enumerate(heads):
        draw.text((x * tile + 3, 1), head, fill="black")
    for y, row in enumerate(rows):
        top = CAPTION + y * (tile + CAPTION)
        for x, (image, text) in enumerate(row):
            small = image.copy()
            small.thumbnail((tile - 4, tile - 4))
            picture.paste(small, (x * tile + 2, top + (tile - small.height) // 2))
            draw.text((x * tile + 3, top + tile - 1), text, fill="black")
    picture.save(path, quality=85)
