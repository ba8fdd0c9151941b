"""How much work a job is, so that its time can be told before it runs and its progress can follow
the clock rather than the count of steps.

A job's work is the sum over its scales of steps × (pixels + a fixed cost per step), summed over
the pictures it makes (a comparison makes three), each with its own steps (the strongest presets
get more, engine.scales.picture_steps). Pixels alone would make the coarse scales look
nearly free; on a CPU each pass through the network also pays a cost that does not shrink with
the picture (docs/benchmarks.md, "Estimates"). The unit is a megapixel-step. A worker measures its
device's speed in work per second (stylebot.estimates); time = work / speed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from engine.params import StyleParams
from engine.scales import output_size, scale_sizes, step_schedule
from stylebot.choices import DEFAULT_STRENGTH, Brush, Strength
from stylebot.estimates import works_key

# The cost of one pass that does not depend on the picture's size, in pixels of its own.
STEP_OVERHEAD_PIXELS = 5_000
# The photo whose work stands for a queued job's before its photo is read: most photos are 4:3.
TYPICAL_PHOTO = (4000, 3000)


def scale_costs(sizes: Sequence[tuple[int, int]], iterations: Sequence[int]) -> list[float]:
    """Each scale's work in megapixel-steps, coarse to fine."""
    return [n * (w * h + STEP_OVERHEAD_PIXELS) / 1e6 for n, (w, h) in zip(iterations, sizes, strict=True)]


def job_work(
    width: int, height: int, params: StyleParams, strengths: Sequence[Strength | float] | None = None
) -> float:
    """The work of painting a photo of (width, height) with `params` at each of `strengths`
    (None: params.strength alone), each picture with its own steps."""
    side = output_size(width, height, params.max_side)
    sizes = scale_sizes(*side, max_scales=params.max_scales, min_side=params.min_scale_side)
    chosen = [params.strength] if strengths is None else strengths
    return sum(sum(scale_costs(sizes, step_schedule(params, s, len(sizes)))) for s in chosen)


def typical_work(params: StyleParams, strength: Strength | float = DEFAULT_STRENGTH) -> float:
    """The work of one picture at `strength` from a typical photo at params' size."""
    return job_work(*TYPICAL_PHOTO, replace(params, strength=strength))


def typical_works(params: StyleParams) -> dict[str, float]:
    """typical_work at each preset and brush (stylebot.estimates.works_key): a queued job's work,
    before its photo is read."""
    return {
        works_key(strength, brush): typical_work(replace(params, brush=brush), strength)
        for strength in Strength
        for brush in Brush
    }
