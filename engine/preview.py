"""The picture so far, offered to a caller while a job runs (its status message shows it).

At the end of every scale, and within a scale at most every PREVIEW_SECONDS: the conversion of a
tensor to a small picture is cheap, but nobody watches faster than a chat can be edited.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch
from PIL import Image

from engine.imaging import to_image
from engine.scales import from_canvas

PREVIEW_SECONDS = 3.0
PREVIEW_SIDE = 320  # long side: what a status message shows well, and a few kB as JPEG

Preview = Callable[[Image.Image], None]


class Previews:
    """Hands `on_preview` a small picture of the pixels it is offered, at most every PREVIEW_SECONDS
    unless forced."""

    def __init__(self, on_preview: Preview | None, seconds: float | None = None) -> None:
        self.on_preview = on_preview
        self.seconds = PREVIEW_SECONDS if seconds is None else seconds
        self._at = -float("inf")

    def offer(self, pixels: torch.Tensor, size: tuple[int, int], *, force: bool = False) -> None:
        """`pixels`: (1, 3, H, W) on a canvas, the picture of `size` in its top-left corner."""
        if self.on_preview is None:
            return
        now = time.perf_counter()
        if not force and now - self._at < self.seconds:
            return
        self._at = now
        image = to_image(from_canvas(pixels.detach(), size).clamp(0, 1))
        image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.BILINEAR)
        self.on_preview(image)
