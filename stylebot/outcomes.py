"""Outcomes the shared layer reports in codes, never in sentences: the bot says each in the user's
language (bot/texts/locales).

Failure and Note are stored in requests.error and requests.note (a value that is not a known code,
from rows written by older versions, is shown as the generic failure). Refusal is raised, as
Refused, by the functions the bot calls when they will not do what was asked.
"""

from __future__ import annotations

import enum


class Failure(enum.StrEnum):
    BAD_IMAGE = "bad_image"  # the worker could not decode a picture the bot had accepted
    TOO_LARGE = "too_large"  # over the engine's pixel cap (IMAGE_MAX_PIXELS)
    ENGINE = "engine"  # an exception inside the engine: our fault
    OUT_OF_MEMORY = "out_of_memory"
    LOST_WORKER = "lost_worker"  # the job's worker vanished JOB_MAX_ATTEMPTS times
    PICTURES_DELETED = "pictures_deleted"
    TIME_LIMIT = "time_limit"
    # Set by the bot when the outcome could not be told to the user.
    UNDELIVERABLE = "undeliverable"  # the user blocked the bot
    RESULT_MISSING = "result_missing"


class Note(enum.StrEnum):
    SMALLER_FOR_MEMORY = "smaller_for_memory"  # made below the requested size to fit the device


class Refusal(enum.StrEnum):
    DELETED = "deleted"  # the request is gone: deleted with /forget, or it never existed
    NOT_YOURS = "not_yours"  # the request belongs to another user
    PICTURES_GONE = "pictures_gone"  # its pictures were deleted (RETENTION_DAYS), or the draft's are gone
    QUEUE_FULL = "queue_full"  # MAX_QUEUED_PER_USER requests are already waiting (values: limit)
    QUOTA_REACHED = "quota_reached"  # DAILY_QUOTA is used up (values: quota, resets_in_seconds)
    ALREADY_QUEUED = "already_queued"  # the same pictures are already waiting or being painted so
    ALREADY_LIGHTEST = "already_lightest"  # Weaker under the lightest result
    ALREADY_STRONGEST = "already_strongest"  # Stronger under the strongest result
    ALREADY_FINEST = "already_finest"  # Finer strokes under the finest brush
    ALREADY_COARSEST = "already_coarsest"  # Bigger strokes under the coarsest brush
    ALREADY_LARGE = "already_large"  # Bigger under a Large result


class Refused(Exception):
    """The shared layer would not do what was asked; `reason` and `values` say why."""

    def __init__(self, reason: Refusal, **values: int) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.values = values
