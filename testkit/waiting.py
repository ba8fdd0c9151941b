"""Waiting for a positive event with a deadline, and a free port to listen on: for tests and benches.

`wait_until` polls from a thread of its own (a test, a bench's driver); `wait_until_async` is its
twin for a coroutine, which must let the event loop run meanwhile (the bot under test shares it).
Both return what the check found, so the waiting and the finding are one step. `wait_while_moving`
is for work whose length depends on the machine (a real engine on a slow CPU): it fails only when
nothing has changed for a while, never because the work as a whole took long.
"""

from __future__ import annotations

import asyncio
import inspect
import socket
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
POLL_SECONDS = 0.05
# What is being waited for, said when it did not come: words, or a function that says more (a log).
What = str | Callable[[], str]


def _said(what: What) -> str:
    return what if isinstance(what, str) else what()


def wait_until(check: Callable[[], T], what: What, timeout: float = 30.0) -> T:
    """Polls `check` until it returns something true, and returns that; raises TimeoutError naming
    `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:.0f} s: {_said(what)}")
        time.sleep(POLL_SECONDS)
    return found


async def wait_until_async(check: Callable[[], T | Awaitable[T]], what: What, timeout: float = 30.0) -> T:
    """`wait_until` for a coroutine: `check` may be a plain function or a coroutine function."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if inspect.isawaitable(found):
            found = await found
        if found:
            return found  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:.0f} s: {_said(what)}")
        await asyncio.sleep(POLL_SECONDS)


async def wait_while_moving(
    read: Callable[[], T], done: Callable[[T], bool], what: What, stalled_after: float = 60.0
) -> T:
    """Polls `read` (off the event loop) until `done` takes what it read, and returns that. Fails
    only when what it reads stays the same for `stalled_after` seconds: slow work that moves (a
    painting's progress on a slow CPU) is waited for however long it takes."""
    seen = await asyncio.to_thread(read)
    changed_at = time.monotonic()
    while not done(seen):
        if time.monotonic() - changed_at > stalled_after:
            raise TimeoutError(f"nothing moved for {stalled_after:.0f} s (at {seen!r}): {_said(what)}")
        await asyncio.sleep(POLL_SECONDS * 4)
        now = await asyncio.to_thread(read)
        if now != seen:
            seen, changed_at = now, time.monotonic()
    return seen


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
