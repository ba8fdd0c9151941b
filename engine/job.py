"""One claimed job, run to its end: its pictures painted on the engine's thread while a heartbeat
holds its lease (engine.heartbeat), then its outcome recorded (done, failed, cancelled, or handed
back to the queue when the worker stops) and its speed kept for the estimates. The loop that
claims the jobs is engine.worker."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import torch
from PIL import Image
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from engine.health import JobOutcome, WorkerHealth
from engine.heartbeat import Running, heartbeat
from engine.outage import save_through_outage
from engine.params import StyleParams, params_for
from engine.results import Cancelled, StylizeResult
from engine.transfer import stylize, stylize_many
from engine.vgg import FeatureNet
from engine.watching import JobWatch, record_speed
from stylebot import queue
from stylebot.choices import OFFERED_STRENGTHS, Strength
from stylebot.images import BadImage, decode_rgb, encode
from stylebot.outcomes import Failure, Note
from stylebot.results import Painted, finish_done, finish_failed
from stylebot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Made:
    """What a job made: its result and, for a comparison, every strength's picture."""

    image: Image.Image  # for a comparison, its middle strength (the request's own)
    variants: list[tuple[Strength, Image.Image]]
    seconds: float
    note: Note | None

    @classmethod
    def of(cls, results: Sequence[StylizeResult], strengths: Sequence[Strength | None]) -> Made:
        note = Note.SMALLER_FOR_MEMORY if any(r.smaller is not None for r in results) else None
        variants = [(s, r.image) for s, r in zip(strengths, results, strict=True) if s is not None]
        # Each result counts the seconds of the whole call, which made them all together.
        return cls(results[len(results) // 2].image, variants, max(r.seconds for r in results), note)


class JobRunner:
    """Runs the jobs one loop claims, on its network and device, under its name. `beat` tells the
    health endpoint the loop is not stuck; `say_alive` writes the worker's row when due."""

    def __init__(
        self,
        settings: Settings,
        *,
        db: Engine,
        name: str,
        device: torch.device,
        net: FeatureNet,
        health: WorkerHealth | None,
        beat: Callable[[], None],
        say_alive: Callable[[], object],
    ) -> None:
        self.settings = settings
        self.db = db
        self.name = name
        self.device = device
        self.net = net
        self.health = health
        self.beat = beat
        self.say_alive = say_alive

    def job_params(self, job: queue.Job) -> StyleParams:
        """The job's parameters on this device."""
        return params_for(
            self.device,
            job.size,
            self.settings,
            strength=job.strength,
            keep_colors=job.keep_colors,
            brush=job.brush,
        )

    def should_stop(self, state: Running, stop: threading.Event) -> bool:
        self.beat()  # at every evaluation of the loss: the engine is not stuck
        return state.lost or stop.is_set() or state.overdue()

    def _save(self, job_id: int, what: str, write: Callable[[], object]) -> None:
        save_through_outage(
            write, job_id=job_id, what=what, lease_seconds=self.settings.job_lease_seconds, beat=self.beat
        )

    def process(self, job: queue.Job, stop: threading.Event) -> None:
        log.info("job %d: started (attempt %d)", job.id, job.attempts)
        started = self.health.job_started() if self.health is not None else 0.0
        state = Running(deadline=time.monotonic() + self.settings.engine_time_limit_seconds)
        state.watch = JobWatch(self.db, job_id=job.id)
        with heartbeat(self.db, job_id=job.id, worker=self.name, state=state, say_alive=self.say_alive):
            outcome = self._stylize(job, state, stop)
        self._watched(job, state.watch, outcome)
        if outcome is None and state.overdue() and not state.lost:
            outcome = Failure.TIME_LIMIT
        if outcome is None:
            if stop.is_set() and not state.lost:
                self._save(
                    job.id, "the hand-back", lambda: queue.release(self.db, job_id=job.id, worker=self.name)
                )
                log.info("job %d: handed back to the queue (worker stopping)", job.id)
                self._ended(JobOutcome.HANDED_BACK, started)
            else:
                log.info("job %d: cancelled", job.id)
                self._ended(JobOutcome.CANCELLED, started)
        elif isinstance(outcome, Failure):
            failure = outcome
            self._save(
                job.id,
                "the failure",
                lambda: finish_failed(self.db, job_id=job.id, worker=self.name, error=failure),
            )
            log.info("job %d: failed: %s", job.id, outcome)
            self._ended(JobOutcome.FAILED, started)
        else:
            made = outcome
            image = made.image
            result = encode(image, "JPEG")
            variants = [
                Painted(encode(picture, "JPEG"), picture.width, picture.height, strength)
                for strength, picture in made.variants
            ]
            self._save(
                job.id,
                "the result",
                lambda: finish_done(
                    self.db,
                    job_id=job.id,
                    worker=self.name,
                    result_image=result,
                    width=image.width,
                    height=image.height,
                    device=str(self.device),
                    seconds=made.seconds,
                    note=made.note,
                    variants=variants,
                ),
            )
            log.info("job %d: done in %.1f s (%dx%d)", job.id, made.seconds, image.width, image.height)
            self._ended(JobOutcome.DONE, started)

    def _watched(self, job: queue.Job, watch: JobWatch, outcome: Made | Failure | None) -> None:
        """The job's preview goes; a job done tells the speed it measured."""
        try:
            watch.end()
            if isinstance(outcome, Made) and watch.work:
                params = self.job_params(job)
                record_speed(
                    self.db,
                    device=str(self.device),
                    size=job.size,
                    params=params,
                    work=watch.work,
                    seconds=outcome.seconds,
                )
        except SQLAlchemyError as exc:  # an estimate can wait for the next job
            log.warning("job %d: speed not recorded (%s)", job.id, type(exc).__name__)

    def _ended(self, outcome: JobOutcome, started: float) -> None:
        if self.health is not None:
            self.health.job_ended(outcome, started)

    def _stylize(self, job: queue.Job, state: Running, stop: threading.Event) -> Made | Failure | None:
        """What the job made; a failure code; or None when stopped."""
        try:
            params = self.job_params(job)
            # A phone's 100-megapixel JPEG is decoded shrunk: no bigger than the result needs.
            content = decode_rgb(
                job.content_image, max_pixels=self.settings.image_max_pixels, max_side=params.max_side
            )
            style = decode_rgb(
                job.style_image, max_pixels=self.settings.image_max_pixels, max_side=params.max_side
            )
            progress = partial(setattr, state, "progress")
            should_stop = partial(self.should_stop, state, stop)
            watch = state.watch
            assert watch is not None
            self._save(
                job.id,
                "the work",
                partial(
                    watch.start,
                    worker=self.name,
                    device=str(self.device),
                    width=content.width,
                    height=content.height,
                    params=params,
                    strengths=OFFERED_STRENGTHS if job.compare else [params.strength],
                ),
            )
            if not job.compare:
                result = stylize(
                    content,
                    style,
                    net=self.net,
                    params=params,
                    progress=progress,
                    should_stop=should_stop,
                    on_preview=watch.preview,
                )
                return Made.of([result], [None])
            results = stylize_many(
                content,
                style,
                net=self.net,
                params=params,
                strengths=OFFERED_STRENGTHS,
                progress=progress,
                should_stop=should_stop,
                on_preview=watch.preview,
            )
            return Made.of(results, list(OFFERED_STRENGTHS))
        except Cancelled:
            return None
        except BadImage as exc:
            log.info("job %d: picture refused by the engine: %s", job.id, exc)
            return Failure.TOO_LARGE if exc.code in ("too_large", "huge") else Failure.BAD_IMAGE
        except torch.OutOfMemoryError:
            log.warning("job %d: out of memory", job.id)
            return Failure.OUT_OF_MEMORY
        except Exception:
            log.exception("job %d: engine error", job.id)
            return Failure.ENGINE
