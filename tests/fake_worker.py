"""`python -m tests.fake_worker [NAME [CONCURRENCY]]`: the real worker with a fast stand-in engine.

The queue tests are about claiming, leases, crashes and delivery, not pictures: the stand-in takes
FAKE_ENGINE_SECONDS, reports progress, honours cancellation, and returns the content picture.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from PIL import Image

from engine import process, watching, worker
from engine.transfer import Cancelled, StylizeResult
from stylebot.logs import configure_logging
from stylebot.settings import Settings


def fast_stylize(
    content: Image.Image,
    style: Image.Image,
    *,
    net: Any,
    params: Any,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_preview: Callable[[Image.Image], None] | None = None,
) -> StylizeResult:
    seconds = float(os.environ.get("FAKE_ENGINE_SECONDS", "0.05"))
    started = time.perf_counter()
    grey = content.convert("L").convert("RGB")
    while (elapsed := time.perf_counter() - started) < seconds:
        if should_stop is not None and should_stop():
            raise Cancelled
        if progress is not None:
            progress(elapsed / seconds)
        if on_preview is not None:  # the picture so far: the photo, from grey to its colours
            on_preview(Image.blend(grey, content, min(1.0, elapsed / seconds)))
        time.sleep(min(0.02, seconds))
    return StylizeResult(image=content, seconds=seconds, device="cpu", sizes=[content.size], iterations=[1])


def quick_probe(self: worker.Worker, stop: object) -> None:
    """The start-up probe of a device that paints the probe's picture in PROBE_SECONDS."""
    seconds = float(os.environ.get("FAKE_PROBE_SECONDS", "0.05"))
    watching.probe(
        self.db, device=str(self.device), paint=lambda *_: time.sleep(seconds), params_of=self.size_params
    )


if __name__ == "__main__":
    worker.stylize = fast_stylize  # type: ignore[assignment]
    worker.Worker._probe = quick_probe  # type: ignore[method-assign]
    configure_logging("INFO")
    name = sys.argv[1] if len(sys.argv) > 1 else None
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    process.run_worker(Settings(), name=name, device="cpu", concurrency=concurrency)
