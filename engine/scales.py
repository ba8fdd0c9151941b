"""The sizes a picture is made at: the output size, the coarse-to-fine ladder, each picture's steps
and their split over the scales, and the canvas each scale is computed on.

On CUDA each scale runs on a canvas whose sides are multiples of `bucket` px, the picture in its
top-left corner and the rest filled by reflection. Photos come in every aspect ratio, and cuDNN
(and a CUDA graph or a compiled network) prepares itself for each input shape; on canvases the
shapes repeat from one photo to the next, so that cost is paid once per device, not per picture.
The margin is cut off before the next scale and from the result.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from engine.calibration import progress_for
from engine.params import StyleParams
from stylebot.choices import Brush, Strength

_DEFAULTS = StyleParams()  # the schedule's knobs and their reasons are in engine/params.py


def output_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """(width, height) with the long side capped at max_side; never upscales; aspect kept."""
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def scale_sizes(
    width: int,
    height: int,
    *,
    max_scales: int = _DEFAULTS.max_scales,
    min_side: int = _DEFAULTS.min_scale_side,
) -> list[tuple[int, int]]:
    """Sizes from coarse to fine, about √2 apart in side, the finest being (width, height)."""
    sizes = [(width, height)]
    factor = 1.0
    while len(sizes) < max_scales and max(width, height) * factor / math.sqrt(2) >= min_side:
        factor /= math.sqrt(2)
        sizes.append((max(1, round(width * factor)), max(1, round(height * factor))))
    return sizes[::-1]


def split_steps(total: int, scales: int, decay: float = _DEFAULTS.step_decay) -> list[int]:
    """Most iterations at the cheap, coarse scales; at least one at each."""
    shares = [decay**i for i in range(scales)]
    return [max(1, round(total * s / sum(shares))) for s in shares]


def picture_steps(params: StyleParams, strength: Strength | float) -> int:
    """The L-BFGS iterations a picture at `strength` gets over all its scales: params.steps, times
    params.strong_step_factor for a strength aiming at params.strong_from or more
    (params.strong_from_coarse at a coarse brush)."""
    strong_from = params.strong_from_coarse if params.brush is Brush.COARSE else params.strong_from
    if progress_for(strength) >= strong_from:
        return max(1, round(params.steps * params.strong_step_factor))
    return params.steps


def step_schedule(params: StyleParams, strength: Strength | float, scales: int) -> list[int]:
    """Each scale's iterations for a picture at `strength`, coarse to fine: the one place where the
    step budget becomes a schedule (the engine runs it, engine.work counts it)."""
    return split_steps(picture_steps(params, strength), scales, params.step_decay)


def canvas_size(width: int, height: int, bucket: int) -> tuple[int, int]:
    """(width, height) rounded up to multiples of `bucket` (1: the size itself), or of a smaller
    power of two for a small picture, so that the margin stays under about an eighth of its side."""
    step = max(1, min(bucket, 2 ** math.floor(math.log2(max(width, height) / 8))))
    return step * math.ceil(width / step), step * math.ceil(height / step)


def to_canvas(picture: torch.Tensor, canvas: tuple[int, int]) -> torch.Tensor:
    """(1, C, h, w) -> (1, C, H, W): the picture top-left, the margin its mirror image."""
    height, width = picture.shape[-2:]
    right, bottom = canvas[0] - width, canvas[1] - height
    if right == 0 and bottom == 0:
        return picture
    # Reflection needs a margin narrower than the picture; a tiny picture repeats its edge instead.
    mode = "reflect" if right < width and bottom < height else "replicate"
    return F.pad(picture, (0, right, 0, bottom), mode=mode)


def from_canvas(canvas: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """The picture of (width, height) in the canvas's top-left corner."""
    return canvas[..., : size[1], : size[0]]
