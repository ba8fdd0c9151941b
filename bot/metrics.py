"""The bot's Prometheus metrics: counters and histograms the bot's code feeds where things happen.

They live on a registry of their own (not prometheus_client's global one), so tests can make
several. The figures read from the database at scrape time are added to the same registry by
bot/runtime/dbgauges.py; bot/runtime/health.py serves them all at GET /metrics. Every name is
listed, with its meaning, in docs/operations.md, "Watching it run".
"""

from __future__ import annotations

import enum
import re
from http import HTTPStatus

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from stylebot.monitoring import FINISHED, JOB_BUCKETS


class TelegramErrorKind(enum.StrEnum):
    RETRY_AFTER = "retry_after"  # 429: flood control, Telegram says how long to wait
    FORBIDDEN = "forbidden"  # 403: the user blocked the bot, or the bot may not write there
    BAD_REQUEST = "bad_request"  # 400: chat not found, message not modified, a bad file...
    TIMED_OUT = "timed_out"  # no answer within python-telegram-bot's timeouts
    NETWORK = "network"  # the connection failed (DNS, refused, reset)
    SERVER_ERROR = "server_error"  # 5xx: Telegram (or a proxy in front of it) failed
    OTHER = "other"  # invalid token, conflict (two bots polling), chat migrated...


class UpdateSource(enum.StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class DeliveryOutcome(enum.StrEnum):
    RESULT = "result"  # the painting was sent
    FAILURE = "failure"  # the user was told that the request failed
    UNDELIVERABLE = "undeliverable"  # given up: the user blocked the bot, or Telegram kept refusing


_SERVER_PHRASES = tuple(status.phrase for status in HTTPStatus if status >= 500)
_SERVER_CODE = re.compile(r"\(5\d\d\)")  # "Bad Gateway (502). Parsing the server response ... failed"


HTTP_KINDS: dict[int, TelegramErrorKind] = {
    HTTPStatus.TOO_MANY_REQUESTS: TelegramErrorKind.RETRY_AFTER,
    HTTPStatus.FORBIDDEN: TelegramErrorKind.FORBIDDEN,
    HTTPStatus.BAD_REQUEST: TelegramErrorKind.BAD_REQUEST,
}


def telegram_error_kind(exc: TelegramError) -> TelegramErrorKind:
    """The kind of a python-telegram-bot exception. python-telegram-bot raises a plain NetworkError
    for a 5xx answer, with Telegram's description (e.g. "Bad Gateway") or the HTTP phrase and code."""
    if isinstance(exc, RetryAfter):
        return TelegramErrorKind.RETRY_AFTER
    if isinstance(exc, Forbidden):
        return TelegramErrorKind.FORBIDDEN
    if isinstance(exc, BadRequest):  # a NetworkError subclass: before it
        return TelegramErrorKind.BAD_REQUEST
    if isinstance(exc, TimedOut):  # likewise
        return TelegramErrorKind.TIMED_OUT
    if isinstance(exc, NetworkError):
        if exc.message.startswith(_SERVER_PHRASES) or _SERVER_CODE.search(exc.message):
            return TelegramErrorKind.SERVER_ERROR
        return TelegramErrorKind.NETWORK
    return TelegramErrorKind.OTHER


# Buckets in seconds (jobs: stylebot.monitoring.JOB_BUCKETS). Waiting in the queue, and from a job's
# end to the user: seconds normally, hours in a backlog.
WAIT_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 3 * 3600, 12 * 3600)
DELIVERY_BUCKETS = (0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 1800)
# bot/runtime/loopwatch.py logs a stall over 0.1 s; a stall of seconds keeps every user waiting.
LOOP_LAG_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class BotMetrics:
    """The counters and histograms of one bot process, on `self.registry`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # process_cpu_seconds_total, resident memory, open fds
        self.telegram_errors = Counter(
            "stylebot_telegram_errors",
            "Errors from the Telegram Bot API, by kind",
            ["kind"],
            registry=self.registry,
        )
        self.updates_received = Counter(
            "stylebot_updates_received",
            "Updates received from Telegram, by source",
            ["source"],
            registry=self.registry,
        )
        self.updates_replayed = Counter(
            "stylebot_updates_replayed",
            "Updates recorded before a restart and handled again at start-up",
            registry=self.registry,
        )
        self.deliveries = Counter(
            "stylebot_deliveries",
            "Outcomes told to users, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.delivery_seconds = Histogram(
            "stylebot_delivery_seconds",
            "Seconds from a job's finish to the user having its result or failure message",
            buckets=DELIVERY_BUCKETS,
            registry=self.registry,
        )
        self.job_seconds = Histogram(
            "stylebot_job_seconds",
            "Seconds from a job's claim by a worker to its finish, by final status (read from the database)",
            ["status"],
            buckets=JOB_BUCKETS,
            registry=self.registry,
        )
        self.queue_wait_seconds = Histogram(
            "stylebot_queue_wait_seconds",
            "Seconds from a request's creation to its (last) claim by a worker, observed when it finishes",
            buckets=WAIT_BUCKETS,
            registry=self.registry,
        )
        self.event_loop_lag_seconds = Histogram(
            "stylebot_event_loop_lag_seconds",
            "How late the bot's event loop ran a timer (a handler that blocks it keeps everyone waiting)",
            buckets=LOOP_LAG_BUCKETS,
            registry=self.registry,
        )
        # Every label value from the start, at 0: rate() and alerts see a series before its first event.
        for kind in TelegramErrorKind:
            self.telegram_errors.labels(kind)
        for source in UpdateSource:
            self.updates_received.labels(source)
        for outcome in DeliveryOutcome:
            self.deliveries.labels(outcome)
        for status in FINISHED:
            self.job_seconds.labels(status)

    def count_telegram_error(self, exc: TelegramError) -> TelegramErrorKind:
        kind = telegram_error_kind(exc)
        self.telegram_errors.labels(kind).inc()
        return kind

    def count_http_error(self, status: int) -> TelegramErrorKind:
        """A Bot API call Telegram answered with an error: counted where every call passes
        (bot.runtime.outbox), so the 429s python-telegram-bot's rate limiter retries count too."""
        kind = HTTP_KINDS.get(
            status, TelegramErrorKind.SERVER_ERROR if status >= 500 else TelegramErrorKind.OTHER
        )
        self.telegram_errors.labels(kind).inc()
        return kind

    def updates_taken(self, source: str, count: int = 1) -> None:
        """`count` updates received by `source` ("polling" or "webhook"; anything else is a bug)."""
        self.updates_received.labels(UpdateSource(source)).inc(count)

    def replayed(self, count: int) -> None:
        self.updates_replayed.inc(count)

    def delivered(self, outcome: DeliveryOutcome) -> None:
        self.deliveries.labels(outcome).inc()

    def observe_delivery(self, seconds: float) -> None:
        self.delivery_seconds.observe(max(0.0, seconds))

    def observe_job(self, *, status: str, job_seconds: float, queue_wait_seconds: float) -> None:
        self.job_seconds.labels(status).observe(max(0.0, job_seconds))
        self.queue_wait_seconds.observe(max(0.0, queue_wait_seconds))

    def observe_loop_lag(self, seconds: float) -> None:
        self.event_loop_lag_seconds.observe(max(0.0, seconds))
