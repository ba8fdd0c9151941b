"""Everything the bot says, looked up in the user's language (catalogues in bot/locales)."""

from __future__ import annotations

import math
import re

from bot.locales import en, ru, zh
from stylebot.outcomes import Failure, Note

CATALOGUES: dict[str, dict[str, str]] = {"en": en.TEXTS, "ru": ru.TEXTS, "zh": zh.TEXTS}
DEFAULT_LANGUAGE = "en"

# The strengths in order, weakest first (engine.transfer.STRENGTHS); Weaker and Stronger step
# along it. The strength keyboard offers the middle three.
LADDER = ("lightest", "light", "medium", "strong", "strongest")
OFFERED = ("light", "medium", "strong")


def language_for(chosen: str | None, telegram_code: str | None) -> str:
    """The user's choice (/language), else Telegram's language code ("ru", "zh-hans"), else English."""
    if chosen in CATALOGUES:
        return chosen
    prefix = (telegram_code or "").split("-")[0].lower()
    return prefix if prefix in CATALOGUES else DEFAULT_LANGUAGE


def text(lang: str, key: str, **values: object) -> str:
    return CATALOGUES.get(lang, en.TEXTS)[key].format(**values)


def strength_label(lang: str, name: str) -> str:
    return text(lang, f"strength_{name}") if name in LADDER else name


def step_strength(name: str, step: int) -> str | None:
    """The strength `step` places along the ladder, or None past either end."""
    index = LADDER.index(name) + step if name in LADDER else LADDER.index("medium")
    return LADDER[index] if 0 <= index < len(LADDER) else None


def _caption_words() -> dict[str, str]:
    words = {name: name for name in LADDER}
    words |= {str(number): name for number, name in enumerate(LADDER, start=1)}
    for catalogue in CATALOGUES.values():
        words |= {catalogue[f"strength_{name}"].lower(): name for name in LADDER}
    return words


CAPTION_WORDS = _caption_words()


def strength_from_caption(caption: str | None) -> str | None:
    """A strength named in a photo's caption: "strong", "Сильно", "强", or 1 (lightest) to 5."""
    if not caption:
        return None
    cleaned = re.sub(r"[^\w\s]", "", caption).strip().lower()
    return CAPTION_WORDS.get(cleaned)


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
    if status == "queued":
        if wait_seconds is None:
            return f"{first}\n{text(lang, 'queued', position=position)}"
        wait = wait_text(lang, wait_seconds)
        return f"{first}\n{text(lang, 'queued_wait', position=position, wait=wait)}"
    return f"{first}\n{text(lang, 'running', percent=int(progress * 100) // 5 * 5)}"


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
