"""What a worker tells the bot about a running job besides its progress: the picture so far, the
job's work (engine.work), and afterwards the speed it measured; and, at start, a probe of the
device's speed so that the first request on a fresh service is told a time too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from PIL import Image
from sqlalchemy import Engine

from engine.params import StyleParams
from engine.work import job_work, typical_works
from stylebot import estimates, previews, queue
from stylebot.choices import Size, Strength
from stylebot.images import encode

log = logging.getLogger(__name__)

# A preview is written at most this often: the bot edits a chat's status about as often.
PREVIEW_WRITE_SECONDS = 2.5
# The probe paints a small picture twice: the second's seconds, over its work, give the device's speed.
PROBE_SIZE = (96, 72)
PROBE_STEPS = 8


class JobWatch:
    """The latest picture of one job, handed over by the engine's thread and written by the
    heartbeat's, at most every PREVIEW_WRITE_SECONDS."""

    def __init__(self, db: Engine, *, job_id: int) -> None:
        self.db = db
        self.job_id = job_id
        self._lock = threading.Lock()
        self._latest: Image.Image | None = None
        self._written_at = -float("inf")
        self.work = 0.0

    def preview(self, image: Image.Image) -> None:
        """The engine's callback: keeps the newest picture (the engine must not wait for a write)."""
        with self._lock:
            self._latest = image

    def start(
        self,
        *,
        worker: str,
        device: str,
        width: int,
        height: int,
        params: StyleParams,
        strengths: Sequence[Strength | float],
    ) -> None:
        """Records the job's work (its pictures at `strengths`) and device, which its time left is
        told from."""
        self.work = job_work(width, height, params, strengths)
        queue.write_held(
            self.db, job_id=self.job_id, worker=worker, values={"work": self.work, "device": device}
        )

    def flush(self) -> None:
        """Writes the newest picture, if there is one and the last write is old enough."""
        if time.monotonic() - self._written_at < PREVIEW_WRITE_SECONDS:
            return
        with self._lock:
            image, self._latest = self._latest, None
        if image is None:
            return
        previews.store(self.db, request_id=self.job_id, image=encode(image, "JPEG"))
        self._written_at = time.monotonic()

    def end(self) -> None:
        previews.forget(self.db, request_id=self.job_id)


def record_speed(
    db: Engine, *, device: str, size: Size, params: StyleParams, work: float, seconds: float
) -> None:
    """A finished job's speed, for the estimates of the next ones."""
    estimates.record_job(
        db,
        device=device,
        size=size,
        work=work,
        seconds=seconds,
        typical_works=typical_works(params),
    )


Paint = Callable[[Image.Image, Image.Image, StyleParams], object]


def probe(db: Engine, *, device: str, paint: Paint, params_of: Callable[[Size], StyleParams]) -> float:
    """Paints a small picture with `paint` and records the speed it shows for each size (where no
    job has measured one); returns the work per second."""
    params = params_of(Size.STANDARD)
    # No bigger than a real picture: a worker set to tiny pictures (tests) probes a tiny one.
    width = min(PROBE_SIZE[0], params.max_side)
    shape = (width, max(1, width * PROBE_SIZE[1] // PROBE_SIZE[0]))
    small = replace(params, max_side=width, steps=PROBE_STEPS)
    content = Image.new("RGB", shape, (120, 140, 90))
    style = Image.effect_noise(shape, 64).convert("RGB")
    paint(content, style, small)  # untimed: a process's first passes at new shapes cost several times more
    started = time.perf_counter()
    paint(content, style, small)
    speed = job_work(*shape, small) / max(1e-6, time.perf_counter() - started)
    for size in Size:
        estimates.record_probe(
            db, device=device, size=size, work_per_second=speed, typical_works=typical_works(params_of(size))
        )
    log.info("worker: probe on %s: %.3f work units a second", device, speed)
    return speed
