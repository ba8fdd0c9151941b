"""Shared fixtures: small real pictures, fresh databases (SQLite and PostgreSQL), the Bot API stand-in."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from PIL import Image
from sqlalchemy import create_engine, text

from bot.runtime.service import BotService
from stylebot.migrate import upgrade_to_head
from testkit.botapi import TOKEN, BotApiStandIn
from testkit.pictures import cat_photo, style_texture

# The files that take longest, longest first, run before the others: pytest-xdist hands out whole
# files in collection order (pyproject: --dist loadfile --no-loadscope-reorder), and a long file
# handed out last would keep one process busy while the others sit idle at the end of the run.
LONG_FILES = (
    "test_engine_ladder.py",
    "test_crash_recovery.py",
    "test_queue_processes.py",
    "test_engine.py",
    "test_engine_scales.py",
    "test_engine_sliced.py",
    "test_bot_conversation.py",
    "test_watch_paint.py",
    "test_worker_health.py",
    "test_worker.py",
    "test_faults_buttons.py",
    "test_wrong_inputs.py",
    "test_bot_end_to_end.py",
    "test_hardening.py",
    "test_bot_features.py",
    "test_privacy.py",
    "test_wakeups.py",
    "test_load.py",
)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Two test processes per CPU this process may use (`-n auto`, pyproject's addopts): most tests
    wait on processes and sockets, and with one per CPU the CPUs sat idle for much of a run. The
    bots' own engine workers run at the tests' priority (testkit.botprocess.bot_env), so the
    processes beside them cannot starve them."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (usable or 1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Puts the LONG_FILES first, in their order; the rest keep theirs."""
    missing = [name for name in LONG_FILES if not (Path(__file__).parent / name).exists()]
    assert not missing, f"conftest.LONG_FILES names files that are gone: {missing}"
    rank = {name: place for place, name in enumerate(LONG_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONG_FILES)))


PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def content_image() -> Image.Image:
    return cat_photo()


@pytest.fixture
def style_image() -> Image.Image:
    return style_texture()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once: each test gets a copy (migrating takes most of a second)."""
    path = tmp_path_factory.mktemp("template") / "stylebot.db"
    upgrade_to_head(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:  # everything in the one file, none of it in the WAL
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    shutil.copyfile(sqlite_template, tmp_path / "stylebot.db")
    return f"sqlite:///{tmp_path / 'stylebot.db'}"


def postgres_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def _database_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """A migrated PostgreSQL database, made once: each test's is a copy (CREATE DATABASE … TEMPLATE).
    None when the server is not there (the tests that need it then skip, or fail in CI)."""
    if not postgres_available():
        yield None
        return
    name = f"stylebot_template_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    upgrade_to_head(_database_url(name))
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_template: str | None) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database, dropped afterwards. In CI its absence is a failure."""
    if postgres_template is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL} (CI must start it)")
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
    name = f"stylebot_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    try:
        yield _database_url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Runs a test on both backends."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def botapi() -> Iterator[BotApiStandIn]:
    server = BotApiStandIn(TOKEN).start()
    try:
        yield server
    finally:
        server.stop()


# One stand-in, database and bot per module of tests/test_faults_*.py (a bot takes seconds to start).
@pytest.fixture(scope="module")
def botapi_module() -> Iterator[BotApiStandIn]:
    server = BotApiStandIn(TOKEN).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def database_module(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.faults import copy_database

    return copy_database(sqlite_template, tmp_path_factory.mktemp("faults"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot_module(botapi_module: BotApiStandIn, database_module: str) -> AsyncIterator[BotService]:
    from tests.faults import faulty_bot

    async with faulty_bot(botapi_module, database_module) as service:
        yield service
