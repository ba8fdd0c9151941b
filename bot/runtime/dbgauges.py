"""The figures /metrics reads from the database when it is scraped: the queue, requests by status,
the workers alive, and the jobs finished since the last scrape (into BotMetrics' histograms).

prometheus_client collects synchronously, so the /metrics handler first awaits `refresh()` (the
bot's own async sessions, on its event loop), then the collector reports what that read found.
The read is bounded (SCRAPE_TIMEOUT; on PostgreSQL the server also cancels a statement that runs
longer): a database that is away or stuck shows as `stylebot_database_up 0` and the database's
figures left out, never as a scrape that hangs or fails.

Counting every finished request grows with the history (millions of rows in a few weeks of a busy
bot), so it is not done at each scrape: it is recounted every RECOUNT_SECONDS in the background, and
between counts the finishes each scrape reads anyway are added to it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.metrics import BotMetrics
from stylebot import monitoring
from stylebot.models import Status, utcnow

log = logging.getLogger(__name__)

SCRAPE_TIMEOUT = 2.0
RECOUNT_SECONDS = 300.0
RECOUNT_TIMEOUT = 60.0
# A finish is read again for this long after a later one was seen: a worker stamps finished_at before
# its commit, so a row may become visible after a later-stamped one (or come from a clock behind).
SETTLE = timedelta(seconds=10)
FINISHED_PER_SCRAPE = 5000  # at most this many finished jobs observed per scrape; the rest next time
FRESH_SECONDS = 1.0  # scrapes this close together share one read


@dataclass(frozen=True)
class QueueReading:
    queue: monitoring.QueueNow
    at: datetime


@dataclass
class Since:
    """Finishes read after a count of the finished requests began, which that count may lack."""

    after: datetime
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class Totals:
    counted: dict[str, int]
    since: Since

    def counts(self) -> dict[str, int]:
        return {status: count + self.since.counts[status] for status, count in self.counted.items()}


class DatabaseGauges:
    """A prometheus_client collector of what the last `refresh()` read."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        metrics: BotMetrics,
        *,
        timeout: float = SCRAPE_TIMEOUT,
    ) -> None:
        self.sessions = sessions
        self.metrics = metrics
        self.timeout = timeout
        self._lock = asyncio.Lock()
        self._read_at = -float("inf")  # monotonic time of the last refresh
        self._read_seconds = 0.0
        self._reading: QueueReading | None = None  # None: the last read failed
        # Finished jobs before this process started were observed by the previous one.
        self._since = utcnow()
        self._seen: dict[int, datetime] = {}  # request id -> finished_at, within SETTLE of the newest
        self._totals: Totals | None = None
        self._recount: asyncio.Task[None] | None = None
        self._recount_started = -float("inf")
        self._recounting: Since | None = None

    async def refresh(self) -> bool:
        """Reads the database, within `timeout` seconds; True when it answered."""
        async with self._lock:
            if time.monotonic() - self._read_at < FRESH_SECONDS:
                return self._reading is not None
            started = time.monotonic()
            try:
                async with asyncio.timeout(self.timeout):
                    reading, finished = await self._read()
            except Exception as exc:  # whatever it is, the scrape reports it rather than failing
                self._reading = None
                if isinstance(exc, SQLAlchemyError | OSError | TimeoutError):
                    log.warning("metrics: database unavailable (%s)", type(exc).__name__)
                else:
                    log.exception("metrics: database read failed")
            else:
                self._reading = reading
                self._observe(finished)
            self._read_seconds = time.monotonic() - started
            if self._reading is not None:
                await self._recount_if_due(deadline=started + self.timeout)
            self._read_at = time.monotonic()
            return self._reading is not None

    async def _read(self) -> tuple[QueueReading, list[monitoring.FinishedRequest]]:
        async with self.sessions() as session, session.begin():
            await monitoring.limit_statement_time(session=session, seconds=self.timeout * 0.75)
            now = utcnow()
            queue = await monitoring.queue_now(session=session, now=now)
            finished = await monitoring.finished_after(
                session=session, after=self._read_from(), limit=FINISHED_PER_SCRAPE
            )
        return QueueReading(queue, now), finished

    def _read_from(self) -> datetime:
        newest = max(self._seen.values(), default=None)
        return self._since if newest is None else max(self._since, newest - SETTLE)

    def _observe(self, finished: list[monitoring.FinishedRequest]) -> None:
        for request in finished:
            if request.id in self._seen:
                continue
            self._seen[request.id] = request.finished_at
            if request.started_at is not None:  # else cancelled while queued: never a job
                self.metrics.observe_job(
                    status=request.status,
                    job_seconds=(request.finished_at - request.started_at).total_seconds(),
                    queue_wait_seconds=(request.started_at - request.created_at).total_seconds(),
                )
            for since in (self._totals.since if self._totals else None, self._recounting):
                if since is not None and request.finished_at > since.after:
                    since.counts[request.status] += 1
        horizon = self._read_from()
        self._seen = {key: at for key, at in self._seen.items() if at >= horizon}

    async def _recount_if_due(self, *, deadline: float) -> None:
        """Starts the count of all finished requests when due, and waits for it while the scrape's
        time allows (so the first scrape has it, at the sizes a test or a young bot has)."""
        if self._recount is None and time.monotonic() - self._recount_started >= RECOUNT_SECONDS:
            self._recount_started = time.monotonic()
            self._recount = asyncio.create_task(self._count_totals(), name="metrics-recount")
        if self._recount is not None:
            await asyncio.wait([self._recount], timeout=max(0.0, deadline - time.monotonic()))

    async def _count_totals(self) -> None:
        since = self._recounting = Since(utcnow())
        try:
            async with asyncio.timeout(RECOUNT_TIMEOUT), self.sessions() as session, session.begin():
                await monitoring.limit_statement_time(session=session, seconds=RECOUNT_TIMEOUT)
                counted = await monitoring.finished_totals(session=session)
            self._totals = Totals(counted, since)
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            log.warning("metrics: could not count the finished requests (%s)", type(exc).__name__)
        finally:
            self._recounting = None
            self._recount = None

    async def close(self) -> None:
        """Stops a count still running (the server is stopping)."""
        if self._recount is not None:
            self._recount.cancel()
            await asyncio.gather(self._recount, return_exceptions=True)

    def describe(self) -> Iterator[Metric]:
        """The names this collector reports (prometheus_client checks them for clashes)."""
        return self._families(None)

    def collect(self) -> Iterator[Metric]:
        return self._families(self._reading)

    def _families(self, reading: QueueReading | None) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "stylebot_database_up",
            "1 when the database answered the last scrape's reads within the time limit, else 0",
            value=1 if reading else 0,
        )
        yield GaugeMetricFamily(
            "stylebot_database_read_seconds",
            "Seconds the last scrape's database reads took (or until they were given up)",
            value=self._read_seconds,
        )
        depth = GaugeMetricFamily("stylebot_queue_depth", "Requests waiting in the queue")
        by_status = GaugeMetricFamily(
            "stylebot_requests",
            "Requests by status (done, failed, cancelled: counted every 5 minutes, kept up between)",
            labels=["status"],
        )
        workers = GaugeMetricFamily("stylebot_workers_alive", "Engine workers seen in the last minute")
        oldest = GaugeMetricFamily(
            "stylebot_oldest_queued_seconds", "Age of the oldest queued request; 0 when none waits"
        )
        if reading is not None:
            queue = reading.queue
            depth.add_metric([], queue.queued)
            by_status.add_metric([Status.QUEUED], queue.queued)
            by_status.add_metric([Status.RUNNING], queue.running)
            for status, count in (self._totals.counts() if self._totals else {}).items():
                by_status.add_metric([status], count)
            workers.add_metric([], queue.workers_alive)
            oldest_at = queue.oldest_queued_at
            oldest.add_metric([], max(0.0, (reading.at - oldest_at).total_seconds()) if oldest_at else 0.0)
        yield from (depth, by_status, workers, oldest)
