"""How much work a job is, so that its time can be told before it runs and its progress can follow
the clock rather than the count of steps.

A job's work is the sum over its scales of steps × (pixels + a fixed cost per step), times the
pictures it makes (a comparison makes three). Pixels alone would make the coarse scales look
nearly free; on a CPU each pass through the network also pays a cost that does not shrink with
the picture (docs/benchmarks.md, "Estimates"). The unit is a megapixel-step. A worker measures its
device's speed in work per second (stylebot.estimates); time = work / speed.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.params import StyleParams
from engine.scales import output_size, scale_sizes, split_steps

# The cost of one pass that does not depend on the picture's size, in pixels of its own.
STEP_OVERHEAD_PIXELS = 5_000
# The photo whose work stands for a queued job's before its photo is read: most photos are 4:3.
TYPICAL_PHOTO = (4000, 3000)


def scale_costs(sizes: Sequence[tuple[int, int]], iterations: Sequence[int]) -> list[float]:
    """Each scale's work in megapixel-steps, coarse to fine."""
    return [n * (w * h + STEP_OVERHEAD_PIXELS) / 1e6 for n, (w, h) in zip(iterations, sizes, strict=True)]


def job_work(width: int, height: int, params: StyleParams, pictures: int = 1) -> float:
    """The work of painting a photo of (width, height) with `params`, `pictures` times."""
    side = output_size(width, height, params.max_side)
    sizes = scale_sizes(*side, max_scales=params.max_scales, min_side=params.min_scale_side)
    return sum(scale_costs(sizes, split_steps(params.steps, len(sizes), params.step_decay))) * pictures


def typical_work(params: StyleParams) -> float:
    """The work of one picture from a typical photo at params' size."""
    return job_work(*TYPICAL_PHOTO, params)
