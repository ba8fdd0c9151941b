"""Where a picture's optimisation starts: the photo in the style's colours, but not all the way.

L-BFGS moves a picture's colours slowly, so the coarsest scale starts from the photo recoloured
towards the style (engine.imaging.toward_colours) as far as the strength goes: from the photo itself
a grey moon under large coloured shapes stopped short of the strong band. But where the style is a
fine texture in a few colours (gravel, a stain), the colour map alone reaches most of the style
progress a strength asks for, and the optimiser then has nothing left to paint: the painting is the
photo recoloured, the same at every strength and brush. So the start may take no more than a share
of the goal's progress, the rest to be painted. Off by default: given the room, the optimiser
reached the band with a faint grain on most of those pairs, closer to the photo than the colours
had been (docs/engine.md, "Where a painting starts").
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from engine.imaging import toward_colours

# Halvings of the colour map's amount when it goes too far: the amount is found within 1/32 of
# the strength's, closer than the bands' width needs.
SEARCH_STEPS = 5


def colour_start(
    photo: torch.Tensor,
    style: torch.Tensor,
    goal_progress: float,
    share: float,
    style_err: Callable[[torch.Tensor], float],
    photo_style_err: float,
) -> torch.Tensor:
    """`photo` (1, 3, H, W) moved towards `style`'s colours by the goal's progress, or by less where
    that start alone would already be more than `share` of the goal's progress (style progress
    1 − style_err(start) / photo_style_err, in the engine's own style loss at this scale). A share
    of 1 costs nothing; below it, one pass of the network where the colour map stays short of the
    share, as on most pairs, and SEARCH_STEPS more where it goes further."""

    def progress(amount: float) -> float:
        return 1 - style_err(toward_colours(photo, style, amount)) / max(photo_style_err, 1e-12)

    most = share * goal_progress
    if share >= 1 or progress(goal_progress) <= most:
        return toward_colours(photo, style, goal_progress)
    low, high = 0.0, goal_progress
    for _ in range(SEARCH_STEPS):
        middle = (low + high) / 2
        low, high = (middle, high) if progress(middle) <= most else (low, middle)
    return toward_colours(photo, style, low)
