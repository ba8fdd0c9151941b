"""What a waiting user sees of their place, and which status messages are edited in a round.

Telegram takes about 30 messages a second from a bot in all, and a chat should get about one a
second; with thousands waiting, nobody can see every step of the queue. So a place is shown exactly
near the front of the queue, further back as the milestone it is within ("in the first 500"), and a
status is edited only when what it shows changes. The estimate is the one for the middle of the
milestone's band, so that it is right on average while the user moves through it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from bot.texts.status import running_text, waiting_text
from stylebot.models import Status
from stylebot.stats import WaitModel
from stylebot.store import Pending

EXACT_UP_TO = 5
MILESTONES = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000)
# Each round looks at the front of the queue, and at the places just inside a few milestones: a
# request there has just crossed one, and its status shows a milestone further back.
WINDOW = 20
MILESTONES_PER_ROUND = 3


@dataclass(frozen=True)
class Place:
    """What a user is shown: an exact place, or the milestone they are within."""

    exact: int | None
    within: int | None
    midpoint: int  # the place the estimate is for

    @classmethod
    def of(cls, position: int) -> Place:
        if position <= EXACT_UP_TO:
            return cls(position, None, position)
        index = bisect_left(MILESTONES, position)
        if index == len(MILESTONES):
            return cls(position, None, position)
        lower = MILESTONES[index - 1] if index else EXACT_UP_TO
        return cls(None, MILESTONES[index], (lower + 1 + MILESTONES[index]) // 2)


def status_for(lang: str, request: Pending, position: int | None, model: WaitModel | None) -> str | None:
    """The status text of a queued or running request; None when there is nothing to show yet."""
    if request.status == Status.RUNNING:
        return running_text(
            lang, strength=request.strength, progress=request.progress, compare=request.compare
        )
    if position is None:
        return None
    place = Place.of(position)
    wait = model.wait(place.midpoint) if model is not None else None
    return waiting_text(
        lang,
        strength=request.strength,
        compare=request.compare,
        exact=place.exact,
        within=place.within,
        wait_seconds=wait,
    )


class MilestoneRotation:
    """Which milestones' windows a round looks at: a few each round, all of them in turn."""

    def __init__(self) -> None:
        self._next = 0

    def windows(self, depth: int) -> list[tuple[int, int]]:
        """(first place, how many) for the front of the queue and this round's milestones."""
        reachable = [m for m in MILESTONES if m - WINDOW < depth]
        chosen = []
        for _ in range(min(MILESTONES_PER_ROUND, len(reachable))):
            chosen.append(reachable[self._next % len(reachable)])
            self._next += 1
        return [(1, EXACT_UP_TO)] + [(max(EXACT_UP_TO + 1, m - WINDOW + 1), WINDOW) for m in chosen]
