"""The update being handled in this task: set by the update processor (bot.runtime.ordering) around
each handler, read by what must know it: the outbox (bot.runtime.outbox) numbers the calls it makes,
a saved draft marks it done, a queued request remembers it, and an album's step looks at the user's
updates that arrived after it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut


def _none_later() -> list[Update]:
    return []


@dataclass
class Handling:
    """The update in hand, and how many remembered calls handling it has made."""

    update_id: int
    replaying: bool  # handled before a crash, perhaps partly: what it sent is not sent again
    # The same user's updates that arrived after it and wait their turn (an album's later pictures).
    later: Callable[[], list[Update]] = _none_later
    calls: int = 0
    # Set by the error handler when Telegram failed every try of a call: the update is not done, and
    # is handled again (bot.runtime.ordering) rather than consumed with an apology.
    failed: bool = False
    attempt: int = 1  # 2 and more: handled again after Telegram failed


def handle_again() -> bool:
    """Marks the update in hand as not done, to be handled again; False outside a handler."""
    handling = HANDLING.get()
    if handling is None:
        return False
    handling.failed = True
    return True


HANDLING: ContextVar[Handling | None] = ContextVar("handling", default=None)


def handled_update_id() -> int | None:
    """The id of the update being handled; None outside a handler (a delivery, start-up)."""
    handling = HANDLING.get()
    return handling.update_id if handling is not None else None


def later_updates() -> list[Update]:
    """The user's updates that arrived after the one in hand and wait their turn."""
    handling = HANDLING.get()
    return handling.later() if handling is not None else []


def is_transient(error: BaseException | None) -> bool:
    """Whether a handler's error is Telegram failing for now (worth handling the update again),
    rather than a refusal (BadRequest is a NetworkError subclass) or a bug of ours."""
    if isinstance(error, (TimedOut, RetryAfter)):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)
