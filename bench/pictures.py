"""The benchmark's pictures: real photos from scikit-image, and style pictures made in code."""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw, ImageFilter
from skimage import data as skdata


def brush_strokes(side: int = 512, seed: int = 7) -> Image.Image:
    """A painting-like style picture: thousands of short, thick, coloured strokes in swirling directions."""
    rng = random.Random(seed)
    palette = [(32, 62, 140), (240, 196, 48), (214, 80, 40), (250, 240, 210), (30, 110, 90), (18, 24, 48)]
    image = Image.new("RGB", (side, side), palette[0])
    draw = ImageDraw.Draw(image)
    for _ in range(side * 12):
        x, y = rng.uniform(0, side), rng.uniform(0, side)
        angle = math.sin(x / side * 6.0) * 2.0 + math.cos(y / side * 5.0) * 2.0  # a swirling flow field
        length = rng.uniform(0.02, 0.06) * side
        dx, dy = math.cos(angle) * length, math.sin(angle) * length
        base = palette[rng.randrange(len(palette))]
        colour = tuple(max(0, min(255, c + rng.randint(-25, 25))) for c in base)
        draw.line([(x, y), (x + dx, y + dy)], fill=colour, width=max(2, side // 90))
    return image.filter(ImageFilter.SMOOTH)


def pairs() -> dict[str, tuple[Image.Image, Image.Image]]:
    """name -> (content, style)."""
    return {
        "cat+strokes": (Image.fromarray(skdata.chelsea()), brush_strokes()),
        # Cropped to the cat's 3:2 (512×340), so both contents have the same pixel count at any size.
        "astronaut+stain": (
            Image.fromarray(skdata.astronaut()[:340]),
            Image.fromarray(skdata.immunohistochemistry()),
        ),
    }
