"""Telegram's hiccups, in one place: which answers are worth asking again (5xx, 429, no answer at
all), how long to wait before each try, and which refusals mean there is nothing left to do.

bot.runtime.outbox applies it to every call made while an update is handled (questions, pictures,
edits, button answers, chat actions, getFile and the download): a handler sees a failure only once
Telegram has failed every try, and then the update stays in the inbox to be handled again
(bot.runtime.ordering). Deliveries and status edits have their own, longer, backoff (bot.runtime.notifier).
"""

from __future__ import annotations

import json
from http import HTTPStatus

# Tries of one call, and the pauses between them (a 429 waits its retry_after instead).
ATTEMPTS = 4
FIRST_PAUSE_SECONDS = 0.5
MAX_PAUSE_SECONDS = 4.0
# A flood wait longer than this is not waited out inside a handler: the caller sees the 429 (the
# rate limiter, then the update's own retry, bot.runtime.ordering, take over).
MAX_RETRY_AFTER_SECONDS = 30.0

TRUE_ANSWER = b'{"ok":true,"result":true}'
# Refusals that mean the call has nothing left to do: the message already says this, is gone, or the
# button's spinner stopped long ago. Answered as a success, so no step fails on them.
ALWAYS_HARMLESS = (b"message is not modified", b"query is too old", b"query id is invalid")
# ... and, while an update is handled, a message that cannot be edited or deleted any more (the
# user deleted it, or it is too old): the step goes on (deliveries need to know, so not for them).
HARMLESS_IN_HANDLER = (
    b"message to edit not found",
    b"message to delete not found",
    b"message can't be edited",
    b"message can't be deleted",
)


def pause_before(attempt: int) -> float:
    """Seconds to wait before try `attempt` (1 is the first retry): doubling, bounded."""
    return min(MAX_PAUSE_SECONDS, FIRST_PAUSE_SECONDS * 2 ** (attempt - 1))


def worth_retrying(code: int) -> bool:
    """A 5xx (Telegram's side failed; the call was not carried out) or a flood wait."""
    return code >= HTTPStatus.INTERNAL_SERVER_ERROR or code == HTTPStatus.TOO_MANY_REQUESTS


def retry_after(payload: bytes) -> float | None:
    """The wait a 429 asks for, in seconds; None if the answer does not say."""
    try:
        parameters = json.loads(payload).get("parameters") or {}
        return float(parameters["retry_after"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def harmless(code: int, payload: bytes, *, in_handler: bool) -> bool:
    """Whether a refusal means there is nothing left to do (see ALWAYS_HARMLESS)."""
    if code != HTTPStatus.BAD_REQUEST:
        return False
    said = payload.lower()
    phrases = ALWAYS_HARMLESS + (HARMLESS_IN_HANDLER if in_handler else ())
    return any(phrase in said for phrase in phrases)
