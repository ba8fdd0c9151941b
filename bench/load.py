"""50 users at the same moment: every result delivered once, and the bot stays responsive.

    python -m bench.load [--users 50] [--workers 2] [--runs 3] [--database postgresql://...]

The run itself is testkit/load.py (tests/test_load.py runs a small one in `make test`).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from stylebot.database import make_engine
from stylebot.migrate import upgrade_to_head
from stylebot.models import Base
from testkit.load import LoadFigures, run_load


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3, help="figures are the medians of the runs")
    parser.add_argument("--database", help="a migrated, empty database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    runs: list[LoadFigures] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            url = args.database or f"sqlite:///{folder}/load.db"
            upgrade_to_head(url)
            runs.append(
                run_load(users=args.users, workers=args.workers, database_url=url, workdir=Path(folder))
            )
        if args.database:
            _empty(args.database)

    def median(name: str) -> float:
        return statistics.median(getattr(run, name) for run in runs)

    backend = (args.database or "sqlite").split(":")[0].split("+")[0]
    print(f"{args.users} users, {args.workers} engine workers, {backend}, median of {len(runs)} runs")
    print(
        f"results delivered: {[r.delivered for r in runs]} of {args.users}, "
        f"sent twice: {[r.duplicates for r in runs]}"
    )
    print(f"first photo to last result: {median('seconds'):.1f} s")
    print(f"event loop lag: max {median('loop_lag_max_ms'):.0f} ms, p99 {median('loop_lag_p99_ms'):.0f} ms")
    print(
        f"/help while the engine is busy ({[r.replies for r in runs]} answers): "
        f"median {median('reply_median_ms'):.0f} ms, "
        f"p95 {median('reply_p95_ms'):.0f} ms, max {median('reply_max_ms'):.0f} ms"
    )
    print(
        f"/help while {args.users} users upload: median {median('upload_reply_median_ms'):.0f} ms, "
        f"p95 {median('upload_reply_p95_ms'):.0f} ms (Telegram's 30 messages/s limit applies)"
    )


def _empty(url: str) -> None:
    """Deletes what a run left, so the next one starts from the same empty database."""
    engine = make_engine(url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


if __name__ == "__main__":
    main()
