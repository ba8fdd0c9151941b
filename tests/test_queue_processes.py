"""The queue with real processes: several workers, crashes, and a bot that dies before delivering.

The engine is replaced by a fast stand-in (tests/fake_worker.py); everything else is real: worker
and bot processes, the database (PostgreSQL, and SQLite for the claim test), the Bot API stand-in.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from stylebot.database import make_engine, session_factory
from stylebot.models import Request, Status, utcnow
from testkit.botapi import BotApiStandIn
from testkit.botprocess import PROJECT_ROOT, BotProcess, bot_env
from testkit.finished import insert_done_request
from testkit.pictures import cat_photo, jpeg_bytes, png_bytes, style_texture
from testkit.queueing import queue_requests
from testkit.waiting import wait_until

MARKER_USER = 9999


def add_jobs(url: str, users: int, per_user: int, *, done: bool = False) -> list[int]:
    """Each user queues `per_user` requests, one user after the other, as the bot queues them."""
    content, style = jpeg_bytes(cat_photo(32)), png_bytes(style_texture(32))
    ids = []
    for u in range(users):
        ids += queue_requests(url, user_id=1000 + u, count=per_user, content=content, style=style)
    if done:  # finished by a worker, not yet delivered
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(
                update(Request)
                .where(Request.id.in_(ids))
                .values(status=Status.DONE, result_image=content, engine_seconds=0.1, finished_at=utcnow())
                .values(output_width=32, output_height=21)
            )
        engine.dispose()
    return ids


@contextmanager
def fake_workers(
    url: str, names: list[str], tmp_path: Path, concurrency: int = 1, **env: str
) -> Iterator[list[subprocess.Popen[bytes]]]:
    environment = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": url,
        "JOB_LEASE_SECONDS": "5",
        **env,
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.fake_worker", name, str(concurrency)],
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in names
    ]
    try:
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def rows(engine: Engine) -> list[Request]:
    """The requests of the test's users (not the marker's, see later_rounds_passed)."""
    with session_factory(engine)() as session:
        return list(
            session.scalars(select(Request).where(Request.user_id != MARKER_USER).order_by(Request.id))
        )


def delivered_photos(botapi: BotApiStandIn) -> Counter[int]:
    found = Counter(int(c.params["chat_id"]) for c in botapi.calls_to("sendPhoto") if c.result is not None)
    del found[MARKER_USER]
    return found


def later_rounds_passed(botapi: BotApiStandIn, url: str) -> None:
    """Proves that nothing more goes out without sleeping: two later results (of another user),
    finished after everything else was delivered, are delivered one after the other. A round that
    would send something again has run by the time the second is delivered."""
    for _ in range(2):
        before = len(botapi.calls_to("sendPhoto", MARKER_USER))
        insert_done_request(url, user_id=MARKER_USER)
        wait_until(
            lambda b=before: len(botapi.calls_to("sendPhoto", MARKER_USER)) > b, "a later result", timeout=60
        )


@pytest.mark.parametrize(("backend", "workers"), [("postgresql", 3), ("sqlite", 2)])
def test_many_workers_do_every_job_once_fairly_and_deliver_once(
    backend: str, workers: int, request: pytest.FixtureRequest, botapi: BotApiStandIn, tmp_path: Path
) -> None:
    url = str(request.getfixturevalue("postgres_url" if backend == "postgresql" else "sqlite_url"))
    engine = make_engine(url)
    add_jobs(url, users=10, per_user=3)
    names = [f"w{i}" for i in range(workers)]
    with fake_workers(url, names, tmp_path), BotProcess(bot_env(botapi, url, engine_workers=0), tmp_path):
        wait_until(lambda: sum(delivered_photos(botapi).values()) >= 30, "30 deliveries", timeout=120)
        later_rounds_passed(botapi, url)
    photos = delivered_photos(botapi)
    assert photos == Counter({1000 + u: 3 for u in range(10)})
    done = rows(engine)
    assert all(r.status == Status.DONE and r.attempts == 1 and r.delivered_at for r in done)
    assert {r.worker for r in done} <= set(names)
    # Every user's first job is claimed before anyone's second. A worker stamps started_at just
    # before its claim takes the row, so a claim in flight at the same moment as others (at most
    # one per other worker) may carry an earlier stamp than a claim that took its row first; it
    # happened about once in ten runs on two busy cores, before the queue's rounds as after.
    by_start = sorted(done, key=lambda r: (r.started_at, r.id))
    assert len({r.user_id for r in by_start[:10]}) >= 10 - (workers - 1), "everyone's first before a second"
    engine.dispose()


def test_a_killed_worker_s_job_is_finished_by_another_and_delivered_once(
    postgres_url: str, botapi: BotApiStandIn, tmp_path: Path
) -> None:
    engine = make_engine(postgres_url)
    [job_id] = add_jobs(postgres_url, users=1, per_user=1)
    with BotProcess(bot_env(botapi, postgres_url, engine_workers=0), tmp_path):
        with fake_workers(postgres_url, ["doomed"], tmp_path, FAKE_ENGINE_SECONDS="30") as [doomed]:
            wait_until(lambda: rows(engine)[0].status == Status.RUNNING, "the job to start", timeout=60)
            doomed.send_signal(signal.SIGKILL)
            doomed.wait(10)
        with fake_workers(postgres_url, ["rescuer"], tmp_path):
            wait_until(lambda: sum(delivered_photos(botapi).values()) >= 1, "the delivery", timeout=60)
            later_rounds_passed(botapi, postgres_url)
    [job] = rows(engine)
    assert (job.id, job.status, job.worker, job.attempts) == (job_id, Status.DONE, "rescuer", 2)
    assert delivered_photos(botapi) == Counter({1000: 1})
    engine.dispose()


def test_a_bot_killed_before_delivery_delivers_once_after_restart(
    postgres_url: str, botapi: BotApiStandIn, tmp_path: Path
) -> None:
    engine = make_engine(postgres_url)
    add_jobs(postgres_url, users=1, per_user=1, done=True)  # done by a worker, not yet sent
    botapi.faults["sendPhoto"] = [(502, "Bad Gateway", None)] * 100
    env = bot_env(botapi, postgres_url, engine_workers=0)
    with BotProcess(env, tmp_path) as first:
        wait_until(lambda: len(botapi.calls_to("sendPhoto")) >= 1, "a delivery attempt", timeout=30)
        first.stop(signal.SIGKILL)
    assert delivered_photos(botapi) == Counter()
    assert rows(engine)[0].delivered_at is None
    botapi.faults["sendPhoto"] = []
    with BotProcess(env, tmp_path):
        wait_until(lambda: sum(delivered_photos(botapi).values()) >= 1, "the delivery", timeout=30)
        later_rounds_passed(botapi, postgres_url)
    assert delivered_photos(botapi) == Counter({1000: 1})
    assert rows(engine)[0].delivered_at is not None
    engine.dispose()


def test_one_worker_with_concurrency_two_runs_two_jobs_at_once(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    add_jobs(sqlite_url, users=2, per_user=2)
    seen_running: set[str] = set()

    def two_at_once() -> bool:
        running = [r for r in rows(engine) if r.status == Status.RUNNING]
        seen_running.update(r.worker or "" for r in running)
        return len(running) == 2

    with fake_workers(sqlite_url, ["duo"], tmp_path, concurrency=2, FAKE_ENGINE_SECONDS="1.5"):
        wait_until(two_at_once, "two jobs running at once", timeout=60)
        wait_until(lambda: all(r.status == Status.DONE for r in rows(engine)), "all four jobs", timeout=60)
    assert seen_running == {"duo/0", "duo/1"}
    engine.dispose()
