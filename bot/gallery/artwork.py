"""The built-in style pictures: drawn in code (numpy and Pillow), seeded, so the same every time.

Each is a strong texture with its own palette at several scales, what style transfer feeds on.
They are drawn at first use and kept as JPEG bytes (bot.gallery.catalogue).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from bot.gallery import painterly, patterns

SIDE = 512


@dataclass(frozen=True)
class Artwork:
    slug: str  # stable: catalogues name it "style_<slug>"
    name: str  # in English, on the button when no translation is at hand
    draw: Callable[[np.random.Generator, int], Image.Image]

    @property
    def key(self) -> str:
        """The key in callback data: letters only, so never one of the folder's 10 hex digits."""
        return self.slug.replace("_", "")

    def render(self, side: int = SIDE) -> Image.Image:
        """The picture, the same at every call (its seed comes from its slug)."""
        return self.draw(np.random.default_rng(zlib.crc32(self.slug.encode())), side)


BUILT_INS: tuple[Artwork, ...] = (
    Artwork("swirling_strokes", "Swirling strokes", painterly.swirling_strokes),
    Artwork("stained_glass", "Stained glass", patterns.stained_glass),
    Artwork("pointillism", "Pointillism", painterly.pointillism),
    Artwork("ink_wash", "Ink wash", painterly.ink_wash),
    Artwork("mosaic", "Mosaic", patterns.mosaic),
    Artwork("cubist_shards", "Cubist shards", patterns.cubist_shards),
    Artwork("watercolour", "Watercolour", painterly.watercolour),
    Artwork("pencil_hatching", "Pencil hatching", painterly.pencil_hatching),
    Artwork("wave_pattern", "Wave pattern", patterns.wave_pattern),
    Artwork("neon", "Neon", patterns.neon),
    Artwork("pop_art_dots", "Pop-art dots", patterns.pop_art_dots),
    Artwork("woodcut", "Woodcut", patterns.woodcut),
)


# A gallery style's upload and request carry "gallery:<key>" where Telegram's file id would be.
GALLERY_FILE_PREFIX = "gallery:"


def slug_of_key(key: str | None) -> str | None:
    """The built-in style whose key (in callback data, and in "gallery:<key>" file ids) is `key`."""
    return next((artwork.slug for artwork in BUILT_INS if artwork.key == key), None)
