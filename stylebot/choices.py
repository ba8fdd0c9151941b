"""The choices a user makes about a picture, as the bot, the database and the engine all name them.

Shared words, defined once: the bot shows them in the user's language, the requests table stores
their values, the engine maps each strength to its style weight (engine.transfer).
"""

from __future__ import annotations

import enum


class Strength(enum.StrEnum):
    """How much of the style goes into the picture, weakest first: Weaker and Stronger step along it."""

    LIGHTEST = "lightest"
    LIGHT = "light"
    MEDIUM = "medium"
    STRONG = "strong"
    STRONGEST = "strongest"

    def step(self, by: int) -> Strength | None:
        """The strength `by` places along the ladder, or None past either end."""
        ladder = list(Strength)
        index = ladder.index(self) + by
        return ladder[index] if 0 <= index < len(ladder) else None

    @classmethod
    def parse(cls, value: str | None) -> Strength | None:
        """The strength named `value`, or None when it names none (an old row, a forged button)."""
        try:
            return cls(value) if value is not None else None
        except ValueError:
            return None


DEFAULT_STRENGTH = Strength.MEDIUM
# The strength question offers the middle three; the ends are reached with Weaker and Stronger.
OFFERED_STRENGTHS = (Strength.LIGHT, Strength.MEDIUM, Strength.STRONG)


class Size(enum.StrEnum):
    """The size of the result: the engine's standard long side, or its large one (/settings)."""

    STANDARD = "standard"
    LARGE = "large"


class Brush(enum.StrEnum):
    """The size of the brush strokes: the style picture's scale against the painting."""

    FINE = "fine"
    MEDIUM = "medium"
    COARSE = "coarse"


class StyleLoss(enum.StrEnum):
    """How the engine compares a painting's texture with the style picture's: Gram matrices
    (Gatys et al. 2015) or sliced Wasserstein distances (Heitz et al. 2021)."""

    GRAM = "gram"
    SLICED = "sliced"
