"""Wake-ups between the bot and the workers, so that neither waits for its next poll.

Two channels: JOBS (a request was queued: idle workers claim it) and EVENTS (a job was claimed,
made progress, or finished: the bot's notifier reads and delivers). A writer announces in the
transaction that made the change; a listener's `wait(timeout)` returns as soon as an announcement
arrives, or after `timeout` (the slow poll, the safety net for a lost wake-up).

- PostgreSQL: NOTIFY in the writing transaction (delivered at its commit, never before) and
  LISTEN on a dedicated psycopg connection of the listener's own.
- SQLite: one Unix datagram socket per listener in a folder named after the database file; a writer
  sends one byte to each after its commit. A full socket already holds a wake-up, so a lost byte
  loses nothing; a socket whose process is gone refuses it and is removed.

Sending never fails the write: a wake-up is a hint, and the poll finds what a lost one missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import logging
import os
import select
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, Select, event, func
from sqlalchemy import select as sql_select
from sqlalchemy.engine import make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

JOBS = "stylebot_jobs"
EVENTS = "stylebot_events"
RECONNECT_SECONDS = 5.0  # a listener whose connection dropped tries again this often (polling meanwhile)

_counter = itertools.count()
_sender: socket.socket | None = None


def _is_postgres(url: str | URL) -> bool:
    return make_url(url).get_backend_name() in ("postgresql", "postgres")


def sqlite_folder(url: str | URL) -> Path | None:
    """The folder of a SQLite database's wake-up sockets; None for a database in memory.

    In the temporary folder, named by a hash of the file's path: a socket's path must stay short.
    """
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    key = hashlib.sha256(str(Path(database).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"stylebot-wake-{key}"


def _send(folder: Path | None, channel: str) -> None:
    """One byte to each listener of `channel` on this SQLite database."""
    global _sender
    if folder is None or not folder.is_dir():
        return
    if _sender is None:
        _sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        _sender.setblocking(False)
    for path in folder.glob(f"{channel}-*.sock"):
        try:
            _sender.sendto(b"!", str(path))
        except BlockingIOError:  # its buffer is full: it has wake-ups waiting already
            pass
        except ConnectionRefusedError:  # its process is gone
            path.unlink(missing_ok=True)
        except OSError:
            log.debug("wake-up to %s not sent", path, exc_info=True)


def _pg_notify(channel: str) -> Select[tuple[Any]]:
    return sql_select(func.pg_notify(channel, ""))


def notify_within(conn: Connection, channel: str) -> None:
    """PostgreSQL: NOTIFY in `conn`'s transaction (sent at its commit). SQLite: nothing (notify_after)."""
    if conn.dialect.name == "postgresql":
        conn.execute(_pg_notify(channel))


def notify_after(engine: Engine, channel: str) -> None:
    """SQLite: wakes the listeners of `channel`, once the write is committed. PostgreSQL: nothing."""
    if engine.dialect.name != "postgresql":
        _send(sqlite_folder(engine.url), channel)


@contextlib.contextmanager
def announcing(engine: Engine, channel: str) -> Iterator[Connection]:
    """`engine.begin()` whose commit wakes the listeners of `channel`."""
    with engine.begin() as conn:
        yield conn
        notify_within(conn, channel)
    notify_after(engine, channel)


async def announce(session: AsyncSession, channel: str) -> None:
    """Wakes the listeners of `channel` when `session`'s transaction commits (not if it rolls back)."""
    bind = session.sync_session.get_bind()
    if bind.dialect.name == "postgresql":
        await session.execute(_pg_notify(channel))
        return
    folder = sqlite_folder(bind.engine.url)

    def after_commit(_session: Session) -> None:
        _send(folder, channel)

    event.listen(session.sync_session, "after_commit", after_commit, once=True)


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class _SocketBase:
    """A bound datagram socket of this listener's own (SQLite)."""

    def __init__(self, folder: Path, channel: str) -> None:
        folder.mkdir(mode=0o700, exist_ok=True)
        self.path = folder / f"{channel}-{os.getpid()}-{next(_counter)}.sock"
        self.path.unlink(missing_ok=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(self.path))
        self.sock.setblocking(False)

    def drain(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while self.sock.recv(64):
                pass

    def close(self) -> None:
        self.sock.close()
        self.path.unlink(missing_ok=True)


class Listener:
    """Waits for the announcements of one channel, synchronously (a worker's thread)."""

    def __init__(self, database_url: str, channel: str, *, enabled: bool = True) -> None:
        self.channel = channel
        self.enabled = enabled
        self._postgres = _is_postgres(database_url)
        self._conninfo = _conninfo(database_url) if self._postgres else ""
        self._conn: psycopg.Connection[object] | None = None
        self._tried_at = -RECONNECT_SECONDS
        self._socket: _SocketBase | None = None
        folder = None if self._postgres else sqlite_folder(database_url)
        if enabled and folder is not None:
            self._socket = _SocketBase(folder, channel)
        if enabled and self._postgres:
            self._connect()

    def _connect(self) -> bool:
        self._tried_at = time.monotonic()
        try:
            conn: psycopg.Connection[object] = psycopg.connect(
                self._conninfo, autocommit=True, connect_timeout=5
            )
            conn.execute(f"LISTEN {self.channel}")
        except psycopg.Error as exc:
            log.warning("wake-ups: cannot listen on %s (%s); polling", self.channel, type(exc).__name__)
            return False
        self._conn = conn
        return True

    def wait(self, timeout: float) -> bool:
        """True when woken by an announcement (or a listening connection came back), False after `timeout`."""
        if self._socket is not None:
            ready, _, _ = select.select([self._socket.sock], [], [], timeout)
            self._socket.drain()
            return bool(ready)
        if not self.enabled or not self._postgres:
            time.sleep(timeout)
            return False
        if self._conn is None:
            if time.monotonic() - self._tried_at >= RECONNECT_SECONDS and self._connect():
                return True  # something may have been announced while it was away
            time.sleep(timeout)
            return False
        try:
            woken = any(True for _ in self._conn.notifies(timeout=timeout, stop_after=1))
            if woken:  # several announcements at once are one wake-up
                for _ in self._conn.notifies(timeout=0):
                    pass
            return woken
        except psycopg.Error as exc:
            log.warning("wake-ups: listening connection lost (%s); polling", type(exc).__name__)
            self._drop()
            return False

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None

    def close(self) -> None:
        self._drop()
        if self._socket is not None:
            self._socket.close()
            self._socket = None


class AsyncListener:
    """Waits for the announcements of one channel on the event loop (the bot's notifier)."""

    def __init__(self, database_url: str, channel: str, *, enabled: bool = True) -> None:
        self.channel = channel
        self.enabled = enabled
        self._postgres = _is_postgres(database_url)
        self._conninfo = _conninfo(database_url) if self._postgres else ""
        self._folder = None if self._postgres else sqlite_folder(database_url)
        self._conn: psycopg.AsyncConnection[object] | None = None
        self._tried_at = -RECONNECT_SECONDS
        self._socket: _SocketBase | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        """Starts listening: announcements from now on wake `wait`."""
        if not self.enabled:
            return
        if self._folder is not None:
            self._socket = _SocketBase(self._folder, self.channel)
            asyncio.get_running_loop().add_reader(self._socket.sock.fileno(), self._ready.set)
        elif self._postgres:
            await self._connect()

    async def _connect(self) -> bool:
        self._tried_at = time.monotonic()
        try:
            conn: psycopg.AsyncConnection[object] = await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True, connect_timeout=5
            )
            await conn.execute(f"LISTEN {self.channel}")
        except psycopg.Error as exc:
            log.warning("wake-ups: cannot listen on %s (%s); polling", self.channel, type(exc).__name__)
            return False
        self._conn = conn
        return True

    async def wait(self, timeout: float) -> bool:
        """True when woken by an announcement, False after `timeout`."""
        if self._socket is not None:
            try:
                await asyncio.wait_for(self._ready.wait(), timeout)
            except TimeoutError:
                return False
            self._ready.clear()
            self._socket.drain()
            return True
        if self._conn is None:
            due = time.monotonic() - self._tried_at >= RECONNECT_SECONDS
            if self.enabled and self._postgres and due and await self._connect():
                return True
            await asyncio.sleep(timeout)
            return False
        try:
            woken = False
            async for _ in self._conn.notifies(timeout=timeout, stop_after=1):
                woken = True
            if woken:
                async for _ in self._conn.notifies(timeout=0):
                    pass
            return woken
        except psycopg.Error as exc:
            log.warning("wake-ups: listening connection lost (%s); polling", type(exc).__name__)
            await self._drop()
            return False

    async def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
            self._conn = None

    async def close(self) -> None:
        await self._drop()
        if self._socket is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._socket.sock.fileno())
            self._socket.close()
            self._socket = None
