"""Waiting for a positive event with a deadline, and a free port to listen on: for tests and benches."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable


def wait_until(check: Callable[[], object], what: str, timeout: float = 30.0) -> None:
    """Polls `check` until it returns something true; raises TimeoutError naming `what` after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.1)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
