"""The status of a request in words: its place in the queue, its progress, why it failed."""

from __future__ import annotations

import math

from bot.texts.catalogue import text
from bot.texts.strengths import strength_label
from stylebot.models import Status
from stylebot.outcomes import Failure, Note


def wait_text(lang: str, seconds: float) -> str:
    """About how long: rounded to 10 s below two minutes, to whole minutes above."""
    if seconds < 120:
        return text(lang, "wait_seconds", n=max(10, math.ceil(seconds / 10) * 10))
    return text(lang, "wait_minutes", n=math.ceil(seconds / 60))


def status_text(
    lang: str,
    *,
    strength: str,
    status: str,
    position: int | None = None,
    progress: float = 0.0,
    wait_seconds: float | None = None,
) -> str:
    """The status message of a request: strength, then its place in the queue or its progress."""
    first = text(lang, "strength_chosen", strength=strength_label(lang, strength))
    if status == Status.QUEUED:
        if wait_seconds is None:
            return f"{first}\n{text(lang, 'queue_position', position=position)}"
        wait = wait_text(lang, wait_seconds)
        return f"{first}\n{text(lang, 'queue_position_wait', position=position, wait=wait)}"
    return f"{first}\n{text(lang, 'painting_progress', percent=int(progress * 100) // 5 * 5)}"


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
