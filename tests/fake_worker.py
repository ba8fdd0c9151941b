"""`python -m tests.fake_worker [NAME [CONCURRENCY]]`: the real worker with a fast stand-in engine.

The queue tests are about claiming, leases, crashes and delivery, not pictures: the stand-in takes
FAKE_ENGINE_SECONDS, reports progress, honours cancellation, and returns the content picture. With
FAKE_ENGINE_RELEASE (a file's path) a job runs until the test creates that file (the job removes it,
so the next job waits for the next one), its progress paced by FAKE_ENGINE_SECONDS: a test that
watches a job run says when it has seen enough, instead of hoping the job lasts long enough.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from PIL import Image

from engine import job, process, watching, worker
from engine.results import Cancelled, StylizeResult
from stylebot.logs import configure_logging
from stylebot.settings import Settings

RELEASE_LIMIT_SECONDS = 300.0


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
    release = os.environ.get("FAKE_ENGINE_RELEASE")
    started = time.perf_counter()
    grey = content.convert("L").convert("RGB")
    while not _finished(elapsed := time.perf_counter() - started, seconds, release):
        if should_stop is not None and should_stop():
            raise Cancelled
        share = min(0.95, elapsed / seconds)
        if progress is not None:
            progress(share)
        if on_preview is not None:  # the picture so far: the photo, from grey to its colours
            on_preview(Image.blend(grey, content, share))
        time.sleep(min(0.02, seconds))
    return StylizeResult(image=content, seconds=seconds, device="cpu", sizes=[content.size], iterations=[1])


def _finished(elapsed: float, seconds: float, release: str | None) -> bool:
    if release is None:
        return elapsed >= seconds
    try:
        os.unlink(release)
    except FileNotFoundError:
        return elapsed >= RELEASE_LIMIT_SECONDS  # a test that never releases must not hang its worker
    return True


def quick_probe(self: worker.Worker, stop: object) -> None:
    """The start-up probe of a device that paints the probe's picture in PROBE_SECONDS."""
    seconds = float(os.environ.get("FAKE_PROBE_SECONDS", "0.05"))
    watching.probe(
        self.db, device=str(self.device), paint=lambda *_: time.sleep(seconds), params_of=self.size_params
    )


if __name__ == "__main__":
    job.stylize = fast_stylize  # type: ignore[assignment]
    worker.Worker._probe = quick_probe  # type: ignore[method-assign]
    configure_logging("INFO")
    name = sys.argv[1] if len(sys.argv) > 1 else None
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    process.run_worker(Settings(), name=name, device="cpu", concurrency=concurrency)
