"""What an idle worker asks of the database: statements and transactions a minute, per worker.

    python -m bench.idle_worker [--seconds 60] [--postgres URL] [--no-postgres]

A real job loop (engine.worker.Worker, a tiny network) on an empty queue, on SQLite and PostgreSQL,
with the default QUEUE_POLL_SECONDS; after its first 3 s, every statement on its engine counted
(SQLAlchemy's before_cursor_execute, PostgreSQL's pool pre-ping included), every transaction by its
BEGIN. The listening connection's wait costs none.
"""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

import torch
from sqlalchemy import event

from bench.latency import _postgres, _sqlite
from engine.transfer import CONTENT_LAYERS
from engine.vgg import FeatureNet
from engine.worker import Worker
from stylebot.settings import Settings

STARTUP_SECONDS = 3.0


def count(url: str, seconds: float) -> tuple[int, int]:
    """(statements, transactions) of an idle worker loop in `seconds`."""
    settings = Settings(
        _env_file=None,
        database_url=url,
        engine_max_side=32,
        engine_steps=2,
    )
    worker = Worker(settings, name="idle", device=torch.device("cpu"), net=FeatureNet(CONTENT_LAYERS))
    statements, transactions = [0], [0]

    def statement(*_: Any) -> None:
        statements[0] += 1

    def begin(*_: Any) -> None:
        transactions[0] += 1

    event.listen(worker.db, "before_cursor_execute", statement)
    event.listen(worker.db, "begin", begin)
    stop = threading.Event()
    loop = threading.Thread(target=worker.run, args=(stop,))
    loop.start()
    time.sleep(STARTUP_SECONDS)  # its start (its row, its own jobs' hand-back, a first claim) not counted
    statements[0] = transactions[0] = 0
    time.sleep(seconds)  # a benchmark's measuring window, not a test's wait
    stop.set()
    loop.join()
    return statements[0], transactions[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    poll = Settings.model_fields["queue_poll_seconds"].default
    print(f"an idle worker over {args.seconds:g} s (QUEUE_POLL_SECONDS {poll:g})")
    databases = [("sqlite", _sqlite)]
    if not args.no_postgres:
        databases.append(("postgresql", lambda: _postgres(args.postgres)))
    for name, database in databases:
        with database() as url:
            statements, transactions = count(url, args.seconds)
        per5 = 5 / args.seconds
        print(
            f"{name:<11} statements {statements} ({statements * per5:.2f} per 5 s), "
            f"transactions {transactions} ({transactions * per5:.2f} per 5 s)"
        )


if __name__ == "__main__":
    main()
