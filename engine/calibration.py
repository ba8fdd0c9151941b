"""Strengths as fixed amounts of style, the same for every pair of pictures.

A fixed style weight means very different things for different pairs: on the benchmark pairs one
weight moved one picture a small part of the way to its style and another all of it
(bench/engine_vs_pastiche.py prints the table). So a preset names an amount of style instead:
the *style progress*, 1 − style_err(result) / style_err(photo) on the yardstick (engine/yardstick.py),
the share of the way from the photo's own style statistics to the style picture's. Each preset
aims at the middle of its band (BANDS), goal = (1 − progress) · style_err(photo), and the loss is
Gatys's weighted sum with a weight that leans towards the goal:

    loss = content_err + term(style_err),  d term / d style_err = weight · (1 + pull · x),
    x = style_err / goal − 1, the slope capped at weight · (1 + boost) while short of the goal.

At the goal it is the plain weighted sum, the trade-off L-BFGS follows efficiently. Past it (too
much style) the slope falls to nothing within 1/pull of the goal and then pulls back; short of it,
the weight grows at most boost-fold (the constants are engine.params.Calibration's). After each
scale the weight is corrected by what that scale missed, so the coarse scales are the cheap probe
that finds each pair's weight for the fine ones.
The weight starts from the preset's odds, progress / (1 − progress), a little low: too little
style at a coarse scale costs nothing that the next cannot make up, too much is photo lost for
good. The photo's own style error is known for free (its features are the content target).

What was tried first: a pure penalty (no weight term), and then the weighted sum plus an unbounded
penalty 4 · x². Both reached the bands, but far from its goal such a penalty pulls harder than any
weight would (at the start of a scale, 20 to 60 times the weight), trading away the photo before
the goal is reached: on the benchmark's cat a fixed weight reached more style for less of the
photo (docs/benchmarks.md, bench/ladder.py).
"""

from __future__ import annotations

import torch

from engine.params import Calibration
from stylebot.choices import Strength

# Bands of style progress, chosen on the benchmark's ten pairs (README, "The engine"): light keeps
# the photo and adds the style's colour and a little texture; medium is half photo, half painting,
# the subject always recognisable; strong is the painting with the photo's layout. Much above 0.85
# some pairs cannot go within the CPU's step budget (a featureless moon in large flat shapes).
BANDS: dict[Strength, tuple[float, float]] = {
    Strength.LIGHTEST: (0.20, 0.30),
    Strength.LIGHT: (0.37, 0.47),
    Strength.MEDIUM: (0.54, 0.64),
    Strength.STRONG: (0.70, 0.80),
    Strength.STRONGEST: (0.80, 0.90),
}


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

    def __init__(self, strength: Strength | float, calibration: Calibration | None = None) -> None:
        self.calibration = c = calibration or Calibration()
        self.progress = min(0.99, progress_for(strength) + c.progress_offset)
        self.weight = c.prior_scale * (self.progress / (1 - self.progress)) ** c.prior_power
        self.goal = 0.0

    def start_scale(self, photo_style_err: float) -> None:
        """Sets this scale's goal from the photo's own style error at this scale."""
        self.goal = max(1e-12, (1 - self.progress) * photo_style_err)

    def term(self, style_err: torch.Tensor) -> torch.Tensor:
        c = self.calibration
        x = style_err / self.goal - 1
        knee = c.boost / c.pull  # where the slope reaches its cap
        lean = torch.where(x <= knee, x * x, 2 * knee * x - knee * knee)
        return self.weight * (style_err + self.goal * c.pull / 2 * lean)

    def correct(self, reached_style_err: float) -> None:
        """After a scale: more weight if it ended with too little style (a style error above the
        goal), less if too much."""
        c = self.calibration
        miss = (max(reached_style_err, 1e-12) / self.goal) ** c.correction_power
        self.weight *= min(c.max_correction, max(1 / c.max_correction, miss))
