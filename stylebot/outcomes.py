"""Codes that workers and the notifier store in requests.error and requests.note.

Codes, not sentences: the bot turns each into the user's language (bot/locales). A value that is
not a known code (rows written by older versions) is shown as the generic failure.
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
