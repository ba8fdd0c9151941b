"""Many users at the same moment (bench/load.py, smaller): every result delivered exactly once."""

from __future__ import annotations

from pathlib import Path

from testkit.load import run_load


def test_twelve_users_at_once_each_get_their_result_once(sqlite_url: str, tmp_path: Path) -> None:
    # The worker not nicer than the other test processes beside it (testkit.botprocess.bot_env).
    figures = run_load(
        users=12, workers=1, database_url=sqlite_url, workdir=tmp_path, worker_niceness=0, engine_threads=1
    )
    assert (figures.delivered, figures.duplicates) == (12, 0)
    assert figures.replies >= 1, "/help was answered while the engine was busy"
