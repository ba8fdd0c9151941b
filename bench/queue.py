"""Queue throughput: claim -> heartbeat -> finish with a no-op engine, on SQLite and PostgreSQL.

    python bench/queue.py [--jobs 400] [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

Each worker is a process of its own (as in production); "overhead per job" is the time one worker
spends on one job's queue work: workers × wall time / jobs.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and bench/queue.py would shadow the
# standard library's queue module: put the project root there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import multiprocessing
import statistics
import tempfile
import time
import uuid
from datetime import timedelta

from sqlalchemy import create_engine, insert, text

from stylebot import jobs
from stylebot.database import make_engine
from stylebot.migrate import upgrade_to_head
from stylebot.models import Request, User, utcnow


def fill(url: str, count: int, users: int = 20) -> None:
    engine = make_engine(url)
    start = utcnow()
    with engine.begin() as conn:
        conn.execute(
            insert(User),
            [{"id": u, "name": f"u{u}", "first_seen": start, "last_seen": start} for u in range(users)],
        )
        conn.execute(
            insert(Request),
            [
                {
                    "user_id": i % users,
                    "chat_id": i % users,
                    "content_file_id": "c",
                    "style_file_id": "s",
                    "content_image": b"c" * 2000,
                    "style_image": b"s" * 2000,
                    "strength": "medium",
                    "status": "queued",
                    "progress": 0.0,
                    "attempts": 0,
                    "created_at": start + timedelta(microseconds=i),
                }
                for i in range(count)
            ],
        )
    engine.dispose()


def work(url: str, name: str, barrier: multiprocessing.synchronize.Barrier) -> None:  # type: ignore[name-defined]
    engine = make_engine(url)
    with engine.connect():
        pass  # connect before the clock starts
    barrier.wait()
    while (job := jobs.claim_next_job(engine, worker=name, lease_seconds=60, max_attempts=3)) is not None:
        jobs.heartbeat(engine, job_id=job.id, worker=name, progress=0.5)
        jobs.finish_done(
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


def run(url: str, workers: int, count: int) -> float:
    upgrade_to_head(url)
    fill(url, count)
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


def postgres_database(admin_url: str) -> tuple[str, str]:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def drop(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    print(
        f"{args.jobs} jobs from 20 users; claim -> heartbeat -> finish, no engine; median of {args.repeats}"
    )
    print("| database | workers | jobs/s | overhead per job (ms) |")
    print("|---|---:|---:|---:|")
    for backend in ("sqlite", "postgresql"):
        for workers in (1, 4):
            walls = []
            for _ in range(args.repeats):
                if backend == "sqlite":
                    with tempfile.TemporaryDirectory() as folder:
                        walls.append(run(f"sqlite:///{folder}/queue.db", workers, args.jobs))
                else:
                    url, name = postgres_database(args.postgres)
                    try:
                        walls.append(run(url, workers, args.jobs))
                    finally:
                        drop(args.postgres, name)
            wall = statistics.median(walls)
            print(
                f"| {backend} | {workers} | {args.jobs / wall:.0f} "
                f"| {workers * wall / args.jobs * 1000:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
