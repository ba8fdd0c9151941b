"""Watches the bot's event loop: a handler that blocks it keeps every user waiting.

A task sleeps TICK seconds at a time and records how late it wakes up. A stall over STALL_MS is
logged as a warning when it happens; the maximum and the 99th percentile are logged at shutdown
(bench/load.py reads them from there).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

TICK = 0.05
STALL_MS = 100.0
KEEP = 100_000  # samples kept for the percentile: about 80 minutes at TICK


@dataclass
class LoopWatch:
    lags_ms: list[float] = field(default_factory=list)

    async def run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            lag = (time.perf_counter() - before - TICK) * 1000
            if len(self.lags_ms) < KEEP:
                self.lags_ms.append(lag)
            if lag > STALL_MS:
                log.warning("event loop stalled for %.0f ms", lag)

    def summary(self) -> str:
        if not self.lags_ms:
            return "event loop lag: no samples"
        ordered = sorted(self.lags_ms)
        p99 = ordered[int(0.99 * (len(ordered) - 1))]
        return f"event loop lag: max {ordered[-1]:.1f} ms, p99 {p99:.1f} ms over {len(ordered)} samples"
