"""The queue's cost as it grows, and its throughput, on PostgreSQL and SQLite.

    python -m bench.queue_throughput [--sizes 1000,10000,100000] [--parts scale,sqlite,throughput,bytes]
        [--baseline DIR] [--history 0] [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

scale (PostgreSQL): N queued requests from N/2 users, two each (every user's first before anyone's
second), and --history requests done and delivered before them, bulk-inserted, then VACUUM ANALYZE
(what autovacuum does after a bulk load); two jobs are running. Medians, in ms, of:
  - claim + finish: claim_next_job + finish_done;
  - notifier round: the queries of one round of the bot's Notifier.tick (bot/runtime/notifier.py);
  - positions: the part of that round that finds the queued requests it may edit, with their
    places (the front of the queue and a few milestones);
  - positions, spread: positions.queue_positions for 10 requests spread over the whole queue (what a
    place deep in the queue costs, as for a request just queued);
  - floor: two one-row UPDATEs, each committed, as a claim and a finish are: what this machine
    charges for any two writes at that moment, whatever the queue.
sqlite: one user with 3 requests queued (MAX_QUEUED_PER_USER), claim + finish, requests queued by
stylebot.queue.enqueue as the bot does.
throughput: claim -> heartbeat -> finish with a no-op engine, each worker a process; "overhead per
job" is the time one worker spends on one job's queue work: workers x wall time / jobs.
bytes: database bytes per request (bench/request_bytes.py).

--baseline DIR measures the checkout at DIR too (e.g. `git worktree add /tmp/before e7f41b1`),
with this same script, each measurement in a fresh process and database, alternating with this
checkout. Code without requests.queue_round is measured the way it ran: positions from
store.queued_ids (the whole queue in order), and its round was store.pending_requests with that.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, insert, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot import stats

try:
    from stylebot import delivery, positions, queue
    from stylebot.results import finish_done

    enqueue = queue.enqueue
except ImportError:  # a --baseline checkout from before stylebot.queue: the same functions, elsewhere
    from stylebot import jobs as queue  # type: ignore[no-redef]
    from stylebot import store as delivery  # type: ignore[no-redef]

    positions = delivery  # type: ignore[misc]
    finish_done = queue.finish_done  # type: ignore[attr-defined]
    enqueue = delivery.create_request  # type: ignore[attr-defined]
from stylebot import models
from stylebot.choices import Strength
from stylebot.database import async_session_factory, make_async_engine, make_engine
from stylebot.migrate import upgrade_to_head
from stylebot.models import Request, User, utcnow

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]
RESULTS = 100  # bot.runtime.notifier.RESULTS_PER_ROUND
SPREAD = 10  # places asked at once, spread over the whole queue
# Code from before requests.queue_round had no positions but the whole queue's order.
HAS_ROUND = "queue_round" in Request.__table__.c
# Code from before the pictures table held the pictures in the requests' rows.
HAS_PICTURES = "content_hash" in Request.__table__.c
PICTURE = b"p" * 100  # the bytes are TOASTed in production: small ones keep the fill quick


def fill(engine: Engine, *, count: int, users: int) -> None:
    """`count` queued requests from `users` users: request i is user i % users's (i // users + 1)-th,
    with the round the bot would give it."""
    start = utcnow()
    with engine.begin() as conn:
        conn.execute(
            insert(User),
            [{"id": u, "name": f"u{u}", "first_seen": start, "last_seen": start} for u in range(users)],
        )
        if HAS_PICTURES:
            digest = models.store_picture(conn, PICTURE)
            pictures: dict[str, object] = {"content_hash": digest, "style_hash": digest}
        else:
            pictures = {"content_image": PICTURE, "style_image": PICTURE}
        rows = []
        for i in range(count):
            row: dict[str, object] = {
                "user_id": i % users,
                "chat_id": i % users,
                "content_file_id": "c",
                "style_file_id": "s",
                **pictures,
                "strength": "medium",
                "status": "queued",
                "progress": 0.0,
                "attempts": 0,
                "created_at": start + timedelta(microseconds=i),
                "status_message_id": 1000 + i,
            }
            if HAS_ROUND:
                row["queue_round"] = i // users
            rows.append(row)
            if len(rows) == 10_000:
                conn.execute(insert(Request), rows)
                rows = []
        if rows:
            conn.execute(insert(Request), rows)


def fill_history(engine: Engine, *, count: int, users: int) -> None:
    """`count` requests done and delivered over the last two days (what /history and the
    waiting-time estimate look at)."""
    end = utcnow()
    for first in range(0, count, 10_000):
        rows = []
        for i in range(first, min(count, first + 10_000)):
            finished = end - timedelta(days=2) + timedelta(milliseconds=i)
            rows.append(
                {
                    "user_id": i % users,
                    "chat_id": i % users,
                    "content_file_id": "c",
                    "style_file_id": "s",
                    "strength": "medium",
                    "status": "done",
                    "progress": 1.0,
                    "attempts": 1,
                    "created_at": finished - timedelta(seconds=6),
                    "started_at": finished - timedelta(seconds=5),
                    "finished_at": finished,
                    "delivered_at": finished,
                }
            )
        with engine.begin() as conn:
            conn.execute(insert(Request), rows)


def claim_and_finish(engine: Engine, worker: str = "w") -> bool:
    job = queue.claim_next_job(engine, worker=worker, lease_seconds=60, max_attempts=3)
    if job is None:
        return False
    finish_done(
        engine, job_id=job.id, worker=worker, result_image=b"r", width=1, height=1, device="none", seconds=0.0
    )
    return True


def timed(action: Callable[[], object], *, least: int, most: int, budget_s: float) -> float:
    """Median ms of `action`: at least `least` runs, then more until `most` or `budget_s`."""
    times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(times) < least or (len(times) < most and time.perf_counter() < deadline):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def atimed(action: Callable[[], Awaitable[object]], *, least: int, most: int, budget_s: float) -> float:
    times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(times) < least or (len(times) < most and time.perf_counter() < deadline):
        started = time.perf_counter()
        await action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure_scale(url: str, count: int, history: int) -> dict[str, float]:
    """The four figures at `count` queued (and `history` done), on a fresh database at `url`."""
    upgrade_to_head(url)
    engine = make_engine(url)
    fill(engine, count=count, users=count // 2)
    fill_history(engine, count=history, users=count // 2)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    for name in ("busy1", "busy2"):  # two workers at work
        queue.claim_next_job(engine, worker=name, lease_seconds=600, max_attempts=3)
    claim = timed(lambda: claim_and_finish(engine), least=5, most=50, budget_s=15)
    floor = timed(lambda: write_twice(engine), least=5, most=50, budget_s=5)
    figures = asyncio.run(measure_bot_side(url, count))
    engine.dispose()
    return {"claim": claim, "floor": floor, **figures}


def write_twice(engine: Engine) -> None:
    """Two one-row UPDATEs, each committed: the least two writing transactions (a claim and a
    finish) cost on this machine at that moment."""
    for _ in range(2):
        with engine.begin() as conn:
            conn.execute(update(User).where(User.id == 0).values(last_seen=utcnow()))


async def measure_bot_side(url: str, count: int) -> dict[str, float]:
    engine = make_async_engine(url)
    sessions = async_session_factory(engine)
    spread: list[int] = []
    if HAS_ROUND:
        try:  # this checkout's notifier
            from bot.runtime.notifier import MilestoneRotation
        except ImportError:  # before it moved there
            from bot.runtime.statuses import MilestoneRotation  # type: ignore[no-redef]

        rotation = MilestoneRotation()
        async with sessions() as session:
            head = await positions.queue_head(session=session, limit=count)
            spread = head[:: max(1, len(head) // SPREAD)][:SPREAD]

    async def queued_to_show(session: AsyncSession) -> list[object]:
        """The queued requests a round may edit, with their places (the front, and milestones)."""
        if not HAS_ROUND:
            return list(await delivery.queued_ids(session=session))  # type: ignore[attr-defined]
        depth = await positions.queue_depth(session=session)
        queued: list[object] = []
        for start, limit in rotation.windows(depth):
            queued += await delivery.queue_window(session=session, start=start, limit=limit)
        return queued

    async def notifier_round() -> None:  # the queries of one round of the bot's Notifier.tick
        async with sessions() as session:
            if HAS_ROUND:
                await delivery.finished_undelivered(session=session, limit=RESULTS)
                await delivery.running_undelivered(session=session)
            else:
                await delivery.pending_requests(session=session)  # type: ignore[attr-defined]
            if await queued_to_show(session):
                await stats.wait_model(session, now=utcnow())

    async def edited_positions() -> None:
        async with sessions() as session:
            await queued_to_show(session)

    async def spread_positions() -> None:
        async with sessions() as session:
            if HAS_ROUND:
                await positions.queue_positions(session=session, request_ids=spread)
            else:
                await delivery.queued_ids(session=session)  # type: ignore[attr-defined]

    async with sessions() as session:  # a connection in the pool before the clock starts
        await session.execute(text("SELECT 1"))
    figures = {
        "round": await atimed(notifier_round, least=5, most=50, budget_s=15),
        "positions": await atimed(edited_positions, least=5, most=50, budget_s=10),
        "spread": await atimed(spread_positions, least=5, most=50, budget_s=10),
    }
    await engine.dispose()
    return figures


def measure_sqlite_single_user(url: str, claims: int = 200) -> dict[str, float]:
    """One user keeping 3 requests queued; claim + finish of each."""
    upgrade_to_head(url)

    async def queue_one(sessions: Any) -> None:
        async with sessions.begin() as session:
            await enqueue(
                session=session,
                user_id=1,
                chat_id=1,
                content_file_id="c",
                content_image=PICTURE,
                style_file_id="s",
                style_image=PICTURE,
                strength=Strength.MEDIUM,
                status_message_id=1,
            )

    async def run() -> list[float]:
        async_engine = make_async_engine(url)
        sessions = async_session_factory(async_engine)
        engine = make_engine(url)
        with engine.begin() as conn:
            now = utcnow()
            conn.execute(insert(User).values(id=1, name="Ada", first_seen=now, last_seen=now))
        for _ in range(3):
            await queue_one(sessions)
        times = []
        for _ in range(claims):
            started = time.perf_counter()
            claim_and_finish(engine)
            times.append((time.perf_counter() - started) * 1000)
            await queue_one(sessions)
        engine.dispose()
        await async_engine.dispose()
        return times

    return {"claim": statistics.median(asyncio.run(run()))}


def work(url: str, name: str, barrier: Barrier) -> None:
    engine = make_engine(url)
    with engine.connect():
        pass  # connect before the clock starts
    barrier.wait()
    while (job := queue.claim_next_job(engine, worker=name, lease_seconds=60, max_attempts=3)) is not None:
        queue.heartbeat(engine, job_id=job.id, worker=name, progress=0.5)
        finish_done(
            engine,
            job_id=job.id,
            worker=name,
            result_image=b"r" * 2000,
            width=1,
            height=1,
            device="none",
            seconds=0.0,
        )
    engine.dispose()


def throughput(url: str, workers: int, count: int) -> float:
    """Wall seconds for `workers` processes to do `count` jobs of 20 users."""
    upgrade_to_head(url)
    engine = make_engine(url)
    fill(engine, count=count, users=20)
    engine.dispose()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers + 1)
    processes = [context.Process(target=work, args=(url, f"w{i}", barrier)) for i in range(workers)]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    for process in processes:
        process.join()
    return time.perf_counter() - started


def measure_here(args: argparse.Namespace) -> dict[str, float]:
    if args.measure == "scale":
        with postgres_database(args.postgres) as url:
            return measure_scale(url, args.size, args.history)
    if args.measure == "throughput" and args.backend == "postgresql":
        with postgres_database(args.postgres) as url:
            return {"wall": throughput(url, args.workers, args.jobs)}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/queue.db"
        if args.measure == "throughput":
            return {"wall": throughput(url, args.workers, args.jobs)}
        return measure_sqlite_single_user(url)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--parts", default="scale,sqlite,throughput,bytes")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure side by side")
    parser.add_argument("--jobs", type=int, default=400, help="jobs in the throughput runs")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--history", type=int, default=0, help="done requests in the table before the queue")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--measure", choices=["scale", "sqlite", "throughput"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--backend", default="sqlite", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # a child of bench.queue_report.measured(): one figure set, as JSON
        print(json.dumps(measure_here(args)))
        return
    from bench.queue_report import report  # the parent only: a child may run another checkout's code

    report(args, script=HERE, checkouts=[ROOT, *([args.baseline.resolve()] if args.baseline else [])])


if __name__ == "__main__":
    main()
