"""The status of a request in words: its place in the queue, its progress, why it failed.

Telegram takes about 30 messages a second from a bot in all, and a chat should get about one a
second; with thousands waiting, nobody can see every step of the queue. So a place is shown exactly
near the front of the queue, further back as the milestone it is within ("in the first 500"), and a
status is edited only when what it shows changes (bot.runtime.notifier). The estimate is the one for
the middle of the milestone's band, so that it is right on average while the user moves through it.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime

from bot.texts.catalogue import text
from bot.texts.choices import strength_named
from bot.texts.numbers import integer
from stylebot.choices import Strength
from stylebot.delivery import Pending
from stylebot.estimates import Speeds, time_left
from stylebot.models import Status
from stylebot.outcomes import Failure, Note
from stylebot.stats import WaitModel

EXACT_UP_TO = 5
MILESTONES = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000)


def wait_text(lang: str, seconds: float) -> str:
    """About how long, as precise as it is worth: to the second under 20 s, then to 5 s, 10 s, the
    minute, and above two hours the hour."""
    if seconds < 20:
        return text(lang, "wait_seconds", n=max(1, math.ceil(seconds)))
    if seconds < 60:
        return text(lang, "wait_seconds", n=math.ceil(seconds / 5) * 5)
    if seconds < 120:
        return text(lang, "wait_seconds", n=math.ceil(seconds / 10) * 10)
    if seconds < 2 * 3600:
        return text(lang, "wait_minutes", n=math.ceil(seconds / 60))
    return text(lang, "wait_hours", n=math.ceil(seconds / 3600))


def _what(lang: str, strength: Strength, compare: bool) -> str:
    """The first line of a status: what is being made."""
    if compare:
        return text(lang, "compare_chosen")
    return text(lang, "strength_chosen", strength=strength_named(lang, strength))


def waiting_text(
    lang: str,
    *,
    strength: Strength,
    compare: bool = False,
    exact: int | None,
    within: int | None,
    wait_seconds: float | None,
) -> str:
    """A queued request: its exact place near the front, else the milestone it is within."""
    if exact is not None:
        place = text(lang, "queue_position", position=integer(lang, exact))
    else:
        place = text(lang, "queue_within", within=integer(lang, within or 0))
    if wait_seconds is not None:
        place = text(lang, "queue_wait", place=place, wait=wait_text(lang, wait_seconds))
    return f"{_what(lang, strength, compare)}\n{place}"


def running_text(
    lang: str,
    *,
    strength: Strength,
    progress: float,
    compare: bool = False,
    left_seconds: float | None = None,
) -> str:
    percent = int(progress * 100) // 5 * 5
    if left_seconds is None:
        return f"{_what(lang, strength, compare)}\n{text(lang, 'painting_progress', percent=percent)}"
    said = text(lang, "painting_left", percent=percent, wait=wait_text(lang, left_seconds))
    return f"{_what(lang, strength, compare)}\n{said}"


# The failures a worker reports to the user; anything else (older rows' English text) is generic.
TOLD_FAILURES = {
    Failure.BAD_IMAGE,
    Failure.TOO_LARGE,
    Failure.ENGINE,
    Failure.OUT_OF_MEMORY,
    Failure.LOST_WORKER,
    Failure.PICTURES_DELETED,
    Failure.TIME_LIMIT,
}


def failure_text(lang: str, code: str | None) -> str:
    return text(lang, f"failure_{code}" if code in TOLD_FAILURES else "failure_unknown")


def note_text(lang: str, code: str | None) -> str | None:
    if code == Note.SMALLER_FOR_MEMORY:
        return text(lang, "note", note=text(lang, "note_smaller_for_memory"))
    return None


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


def status_for(
    lang: str,
    request: Pending,
    position: int | None,
    model: WaitModel | None,
    speeds: Speeds | None = None,
    now: datetime | None = None,
) -> str | None:
    """The status text of a queued or running request; None when there is nothing to show yet.
    With the devices' `speeds`, the time left too, and a share done that follows the clock."""
    own = None
    if speeds is not None:
        own = speeds.job_seconds(
            size=request.size,
            compare=request.compare,
            strength=request.strength,
            brush=request.brush,
            device=request.device,
            work=request.work,
        )
    if request.status == Status.RUNNING:
        progress, left = request.progress, None
        if request.started_at is not None and now is not None:
            elapsed = max(0.0, (now - request.started_at).total_seconds())
            progress, left = time_left(job_seconds=own, progress=request.progress, elapsed=elapsed)
        return running_text(
            lang, strength=request.strength, progress=progress, compare=request.compare, left_seconds=left
        )
    if position is None:
        return None
    return queued_text(
        lang,
        strength=request.strength,
        compare=request.compare,
        position=position,
        model=model,
        own_seconds=own,
    )


def queued_text(
    lang: str,
    *,
    strength: Strength,
    compare: bool,
    position: int,
    model: WaitModel | None,
    own_seconds: float | None = None,
) -> str:
    """A queued request's status: its place as shown (Place), and the estimate for it: its own job
    (`own_seconds`, from the devices' speeds) and its share of the jobs ahead."""
    place = Place.of(max(1, position))
    wait = model.wait(place.midpoint, own=own_seconds) if model is not None else own_seconds
    return waiting_text(
        lang, strength=strength, compare=compare, exact=place.exact, within=place.within, wait_seconds=wait
    )
