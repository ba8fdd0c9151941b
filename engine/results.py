"""What `engine.transfer.stylize` answers: the result of one picture, why it was made smaller, and
the exception a cancelled job ends with; and the check that a strength is one it can make."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PIL import Image

from engine.calibration import progress_for
from stylebot.choices import Strength


class Cancelled(Exception):
    """should_stop() returned True; the job was cancelled."""


def check_strength(strength: Strength | float) -> None:
    """Raises ValueError for a strength that is neither a preset nor a style progress in (0, 1)."""
    progress_for(strength)


class Smaller(enum.StrEnum):
    """Why a picture was made smaller than asked."""

    TO_FIT_MEMORY = "to_fit_memory"  # the free GPU memory at the start was too little
    AFTER_OUT_OF_MEMORY = "after_out_of_memory"  # the device ran out of memory; made again smaller


@dataclass
class StylizeResult:
    image: Image.Image
    seconds: float
    device: str
    sizes: list[tuple[int, int]]
    iterations: list[int]  # the evaluations of the loss each scale ran, coarse to fine
    strength: Strength | float = Strength.MEDIUM
    # 1 − style error / the photo's style error at the final scale, before rounding to 8 bits:
    # what the strengths are calibrated on (engine/calibration.py).
    style_progress: float = 0.0
    scale_seconds: tuple[float, ...] = ()
    smaller: Smaller | None = None  # None: made at the size asked for
