"""The status of a request in words: its place in the queue, its progress, why it failed."""

from __future__ import annotations

import math

from bot.texts.catalogue import text
from bot.texts.choices import strength_named
from bot.texts.numbers import integer
from stylebot.outcomes import Failure, Note


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


def _what(lang: str, strength: str, compare: bool) -> str:
    """The first line of a status: what is being made."""
    if compare:
        return text(lang, "compare_chosen")
    return text(lang, "strength_chosen", strength=strength_named(lang, strength))


def waiting_text(
    lang: str,
    *,
    strength: str,
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


def running_text(lang: str, *, strength: str, progress: float, compare: bool = False) -> str:
    percent = int(progress * 100) // 5 * 5
    return f"{_what(lang, strength, compare)}\n{text(lang, 'painting_progress', percent=percent)}"


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
