"""An engine worker's own endpoints, for a process supervisor and for Prometheus:

- GET /healthz (liveness): 200 unless a job loop has been silent for longer than the job lease.
  Each loop beats at every round and at every evaluation of the loss, so a silent loop is stuck
  (a driver hung, a query that never returns), or died of an exception.
- GET /readyz (readiness): 200 once the model is loaded and while the database answered within
  DB_RECENT_SECONDS; 503 and the reason otherwise (and while stopping).
- GET /metrics: the worker's own registry (names in docs/operations.md, "Watching it run").

A small threaded HTTP server from the standard library, in a daemon thread: it answers however
busy the job loops are, and needs no event loop.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from sqlalchemy import Engine, event

from stylebot.monitoring import JOB_BUCKETS, PROMETHEUS_TEXT

log = logging.getLogger(__name__)

# A worker waits up to 5 s between tries while the database is away (engine.outage): three of
# those missed in a row, and it is not ready.
DB_RECENT_SECONDS = 15.0


class JobOutcome(enum.StrEnum):
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"  # by the user, or the job was taken over by another worker
    HANDED_BACK = "handed_back"  # the worker was stopping: the job went back to the queue


def health_port(base: int, index: int) -> int:
    """The port of the bot's worker number `index` (WORKER_HEALTH_PORT + index); 0 (off) when 0."""
    return base + index if base else 0


class WorkerHealth:
    """What the job loops report, shared by the loops of one process; thread-safe."""

    def __init__(self, *, stale_after: float, db_recent: float = DB_RECENT_SECONDS) -> None:
        self.stale_after = stale_after
        self.db_recent = db_recent
        self.stopping = threading.Event()
        self._beats: dict[str, float] = {}  # loop name -> time.monotonic() of its last beat
        self._db_at: float | None = None  # time.monotonic() of the last statement that succeeded
        self._model_loaded = False
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        self.jobs = Counter(
            "stylebot_worker_jobs", "Jobs this worker ended, by outcome", ["outcome"], registry=self.registry
        )
        self.job_seconds = Histogram(
            "stylebot_worker_job_seconds",
            "Seconds from claiming a job to recording its end, by outcome",
            ["outcome"],
            buckets=JOB_BUCKETS,
            registry=self.registry,
        )
        self.running = Gauge("stylebot_worker_running_jobs", "Jobs running now", registry=self.registry)
        self.db_contact = Gauge(
            "stylebot_worker_last_database_contact_timestamp_seconds",
            "Unix time of the last database statement that succeeded",
            registry=self.registry,
        )
        self.info = Gauge(
            "stylebot_worker_info",
            "1, labelled with the worker's name and device",
            ["name", "device"],
            registry=self.registry,
        )
        self.cpu_threads = Gauge(
            "stylebot_worker_cpu_threads",
            "Torch CPU threads each job runs on (ENGINE_THREADS, or the CPUs shared out)",
            registry=self.registry,
        )
        for outcome in JobOutcome:
            self.jobs.labels(outcome)
            self.job_seconds.labels(outcome)

    def model_loaded(self, *, name: str, device: str, cpu_threads: int) -> None:
        self.info.labels(name, device).set(1)
        self.cpu_threads.set(cpu_threads)
        self._model_loaded = True

    def watch_database(self, engine: Engine) -> None:
        """Every statement that succeeds on `engine` counts as contact with the database."""
        event.listen(engine, "after_cursor_execute", self._database_answered)

    def _database_answered(self, *_args: Any) -> None:
        self._db_at = time.monotonic()
        self.db_contact.set_to_current_time()

    def beat(self, loop: str) -> None:
        self._beats[loop] = time.monotonic()

    def loop_stopped(self, loop: str) -> None:
        """The loop ended as asked: its silence from now on is not a hang."""
        self._beats.pop(loop, None)

    def job_started(self) -> float:
        self.running.inc()
        return time.monotonic()

    def job_ended(self, outcome: JobOutcome, started: float) -> None:
        self.running.dec()
        self.jobs.labels(outcome).inc()
        self.job_seconds.labels(outcome).observe(time.monotonic() - started)

    def not_alive(self) -> str | None:
        now = time.monotonic()
        stuck = [
            f"job loop {loop} silent for {now - at:.0f} s"
            for loop, at in list(self._beats.items())  # a copy: the loops write to it meanwhile
            if now - at > self.stale_after
        ]
        return ", ".join(stuck) or None

    def not_ready(self) -> str | None:
        if self.stopping.is_set():
            return "stopping"
        if not self._model_loaded:
            return "loading the model"
        if self._db_at is None:
            return "database not reached yet"
        if (ago := time.monotonic() - self._db_at) > self.db_recent:
            return f"database last reached {ago:.0f} s ago"
        return None


def start_health_server(health: WorkerHealth, *, host: str, port: int) -> ThreadingHTTPServer:
    """Serves the endpoints on host:port in a daemon thread; raises OSError if the port is taken."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._answer(200, generate_latest(health.registry), PROMETHEUS_TEXT)
            elif path in ("/healthz", "/readyz"):
                reason = health.not_alive() if path == "/healthz" else health.not_ready()
                text = "ok\n" if reason is None else f"{reason}\n"
                self._answer(200 if reason is None else 503, text.encode(), "text/plain; charset=utf-8")
            else:
                self._answer(404, b"not found\n", "text/plain; charset=utf-8")

        def _answer(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Probes every few seconds would fill the log."""

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="health-server", daemon=True).start()
    log.info("worker health and metrics on http://%s:%d", host, server.server_address[1])
    return server


def stop_health_server(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()
