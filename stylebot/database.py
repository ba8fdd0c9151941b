"""Engines and sessions for DATABASE_URL: sync for workers and migrations, async for the bot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

# The bot and the workers write the same SQLite file from different processes: wait, don't fail.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A PostgreSQL server that cannot be reached fails a connection after this long, so the bot can
# tell users it is busy instead of keeping them waiting.
PG_CONNECT_TIMEOUT_S = 5
BOT_POOL_SIZE = 20


def _normalise(url: str, *, use_async: bool) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        driver = "aiosqlite" if use_async else "pysqlite"
    elif backend in ("postgresql", "postgres"):
        backend, driver = "postgresql", "psycopg"  # psycopg 3 serves both sync and asyncio
    else:
        raise ValueError(f"unsupported DATABASE_URL backend: {backend!r} (use sqlite or postgresql)")
    return parsed.set(drivername=f"{backend}+{driver}")


def sync_url(url: str) -> URL:
    return _normalise(url, use_async=False)


def async_url(url: str) -> URL:
    return _normalise(url, use_async=True)


def _prepare_sqlite(url: URL) -> None:
    """Creates the folder of a SQLite file (./data/ by default)."""
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """A sync engine, for workers, Alembic and tests."""
    resolved = sync_url(url)
    if resolved.get_backend_name() == "sqlite":
        _prepare_sqlite(resolved)
        engine = create_engine(resolved, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(resolved, pool_pre_ping=True, connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S})


def make_async_engine(url: str) -> AsyncEngine:
    """An asyncio engine, for the bot's event loop."""
    resolved = async_url(url)
    if resolved.get_backend_name() == "sqlite":
        _prepare_sqlite(resolved)
        engine = create_async_engine(resolved, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # The bot runs many handlers at once; a pool that fits them spares the event loop a new
    # connection (and its handshake) for each burst.
    return create_async_engine(
        resolved,
        pool_pre_ping=True,
        pool_size=BOT_POOL_SIZE,
        max_overflow=BOT_POOL_SIZE,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def async_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
