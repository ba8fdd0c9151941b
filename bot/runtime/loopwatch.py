"""Watches the bot's event loop: a handler that blocks it keeps every user waiting.

A task sleeps TICK seconds at a time and records how late it wakes up. A stall over STALL_MS is
logged as a warning when it happens; the maximum and the 99th percentile are logged at shutdown
(bench/load.py reads them from there). Each lag also goes to `observe` (the metrics' histogram),
and the time of the last tick tells /healthz whether the loop still turns (`silent_for`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

TICK = 0.05
STALL_MS = 100.0
KEEP = 100_000  # samples kept for the percentile: about 80 minutes at TICK


@dataclass
class LoopWatch:
    lags_ms: list[float] = field(default_factory=list)
    # Called with each lag in seconds, e.g. BotMetrics.observe_loop_lag.
    observe: Callable[[float], None] | None = None
    last_tick: float = field(default_factory=time.monotonic)  # time.monotonic() of the last wake-up

    async def run(self) -> None:
        self.last_tick = time.monotonic()
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            self.last_tick = time.monotonic()
            lag = (time.perf_counter() - before - TICK) * 1000
            if len(self.lags_ms) < KEEP:
                self.lags_ms.append(lag)
            if self.observe is not None:
                self.observe(lag / 1000)
            if lag > STALL_MS:
                log.warning("event loop stalled for %.0f ms", lag)

    def silent_for(self) -> float:
        """Seconds since the watch last woke up: about TICK while the loop turns. Read by a handler on
        the same loop, a large value means the loop was just stalled that long, or the watch stopped."""
        return time.monotonic() - self.last_tick

    def summary(self) -> str:
        if not self.lags_ms:
            return "event loop lag: no samples"
        ordered = sorted(self.lags_ms)
        p99 = ordered[int(0.99 * (len(ordered) - 1))]
        return f"event loop lag: max {ordered[-1]:.1f} ms, p99 {p99:.1f} ms over {len(ordered)} samples"
