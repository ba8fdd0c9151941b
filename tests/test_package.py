"""What a built wheel carries: the migrations (so the installed `stylebot` command migrates its
database as `make run` does) and the console script's code, and nothing of the checkout needed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from stylebot.migrate import MIGRATIONS
from testkit.botprocess import PROJECT_ROOT


def build_wheel(workdir: Path) -> Path:
    """A wheel of this checkout, built from a copy of it (the build writes beside its sources)."""
    source = workdir / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, source / name)
    for package in ("bot", "engine", "stylebot"):
        shutil.copytree(
            PROJECT_ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    command = ["pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(workdir / "dist")]
    built = subprocess.run(
        [sys.executable, "-m", *command, str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (workdir / "dist").glob("stylebot-*.whl")
    return wheel


def test_a_built_wheel_migrates_a_database_and_runs_the_console_script_on_its_own(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
        unpacked = tmp_path / "installed"
        archive.extractall(unpacked)
    versions = sorted(p.name for p in (MIGRATIONS / "versions").glob("0*.py"))
    assert versions and {f"stylebot/migrations/versions/{v}" for v in versions} <= names
    assert {"stylebot/migrations/env.py", "stylebot/migrations/script.py.mako"} <= names
    assert "stylebot = bot.__main__:main" in entry_points

    # From the wheel's files alone, in a folder with no checkout and no alembic.ini.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(unpacked),
    }
    database = tmp_path / "data" / "stylebot.db"
    migrate = "import sys, stylebot.migrate as m; m.upgrade_to_head(sys.argv[1]); print(m.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", migrate, f"sqlite:///{database}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(str(unpacked)), "the wheel's code migrated, not the checkout's"
    with sqlite3.connect(database) as conn:
        [(revision,)] = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert revision == max(v.split("_")[0] for v in versions), "migrated to the last revision"

    # The console script's code is there too: without a token it says how to get one.
    script = "import sys; from bot.__main__ import main; sys.exit(main())"
    told = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert told.returncode == 2 and "@BotFather" in told.stderr, told.stderr
