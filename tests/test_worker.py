"""The worker on a real database with the real engine: results, failures, cancellation, SIGTERM."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import undefer_group

from engine import heartbeat as heartbeat_module
from engine import job as job_module
from engine.transfer import ALL_LAYERS
from engine.vgg import FeatureNet
from engine.worker import Worker
from stylebot import queue
from stylebot.choices import DEFAULT_STRENGTH, Size
from stylebot.database import make_engine, session_factory
from stylebot.models import PICTURES, Request, Status, User, Variant, utcnow
from stylebot.models import Worker as WorkerRow
from stylebot.outcomes import Failure, Note
from stylebot.settings import Settings
from testkit.botprocess import PROJECT_ROOT
from testkit.pictures import cat_photo, jpeg_bytes, png_bytes, style_texture
from testkit.waiting import wait_until


@pytest.fixture(scope="module")
def net() -> FeatureNet:
    return FeatureNet(ALL_LAYERS)


def add_request(
    engine: Engine,
    content: bytes,
    style: bytes,
    strength: str = "medium",
    *,
    keep_colors: bool = False,
    size: str = "standard",
) -> int:
    with session_factory(engine).begin() as session:
        if session.get(User, 1) is None:
            session.add(User(id=1, name="Ada"))
        request = Request(
            user_id=1,
            chat_id=1,
            content_file_id="c",
            style_file_id="s",
            content_image=content,
            style_image=style,
            strength=strength,
            keep_colors=keep_colors,
            size=size,
            created_at=utcnow(),
        )
        session.add(request)
        session.flush()
        return request.id


def make_worker(url: str, net: FeatureNet, *, steps: int = 4, **overrides: object) -> Worker:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        engine_max_side=40,
        engine_large_side=56,
        engine_steps=steps,
        **overrides,  # type: ignore[arg-type]
    )
    return Worker(settings, name="test-worker", device=torch.device("cpu"), net=net)


def row(engine: Engine, request_id: int) -> Request:
    """The request as it is now, pictures included."""
    with session_factory(engine)() as session:
        found = session.get(Request, request_id, options=[undefer_group(PICTURES)])
        assert found is not None
        return found


def run_next(worker: Worker) -> None:
    job = queue.claim_next_job(worker.db, worker=worker.name, lease_seconds=60, max_attempts=3)
    assert job is not None
    worker.jobs.process(job, threading.Event())


def test_a_job_ends_with_a_jpeg_of_the_right_size(sqlite_url: str, net: FeatureNet) -> None:
    worker = make_worker(sqlite_url, net)
    request_id = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    run_next(worker)
    done = row(worker.db, request_id)
    assert done.status == Status.DONE and done.progress == 1.0 and done.device == "cpu"
    assert done.result_image is not None
    image = Image.open(io.BytesIO(done.result_image))
    assert image.format == "JPEG" and image.size == (40, 27) == (done.output_width, done.output_height)
    assert done.engine_seconds is not None and done.engine_seconds > 0


def test_a_picture_the_engine_made_smaller_says_so(
    sqlite_url: str, net: FeatureNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = make_worker(sqlite_url, net)
    plain = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    run_next(worker)
    real_forward = net.forward

    def forward_with_little_memory(rgb: torch.Tensor, **layout: Any) -> dict[str, torch.Tensor]:
        if rgb.shape[-1] * rgb.shape[-2] > 30 * 20:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return real_forward(rgb, **layout)

    monkeypatch.setattr(net, "forward", forward_with_little_memory)
    shrunk = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    run_next(worker)
    assert (row(worker.db, plain).note, row(worker.db, plain).output_width) == (None, 40)
    assert (row(worker.db, shrunk).note, row(worker.db, shrunk).output_width) == (Note.SMALLER_FOR_MEMORY, 28)


def test_a_row_with_an_unknown_strength_is_painted_at_the_default_one(
    sqlite_url: str, net: FeatureNet
) -> None:
    worker = make_worker(sqlite_url, net)
    old = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    with worker.db.begin() as conn:  # as another version wrote it: the models refuse to
        conn.execute(
            text("UPDATE requests SET strength = 'ultra', size = 'huge' WHERE id = :id"), {"id": old}
        )
    job = queue.claim_next_job(worker.db, worker=worker.name, lease_seconds=60, max_attempts=3)
    assert job is not None and (job.strength, job.size) == (DEFAULT_STRENGTH, Size.STANDARD)
    worker.jobs.process(job, threading.Event())
    painted = row(worker.db, old)
    assert (painted.status, painted.strength, painted.output_width) == (Status.DONE, DEFAULT_STRENGTH, 40)


def test_bad_pictures_and_engine_errors_fail_the_job_not_the_worker(
    sqlite_url: str, net: FeatureNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = make_worker(sqlite_url, net)
    broken = add_request(worker.db, b"garbage", png_bytes(style_texture()))
    run_next(worker)
    assert row(worker.db, broken).status == Status.FAILED
    assert row(worker.db, broken).error == Failure.BAD_IMAGE

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(job_module, "stylize", explode)
    crashed = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    run_next(worker)
    assert (row(worker.db, crashed).status, row(worker.db, crashed).error) == (Status.FAILED, Failure.ENGINE)
    monkeypatch.undo()

    fine = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    run_next(worker)
    assert row(worker.db, fine).status == Status.DONE


def test_a_cancelled_running_job_stops_at_its_next_evaluation(
    sqlite_url: str, net: FeatureNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled while it paints: once the heartbeat finds the job no longer its own, the engine
    stops at the next evaluation of the loss, however fast or slow the machine."""
    monkeypatch.setattr(heartbeat_module, "HEARTBEAT_SECONDS", 0.05)
    worker = make_worker(sqlite_url, net, steps=2000)  # minutes of work if not stopped
    request_id = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    evaluations = 0
    found_lost_at: list[int] = []  # the evaluations made when the heartbeat found the job cancelled
    asks_whether_to_stop = worker.jobs.should_stop

    def evaluation(*args: Any) -> bool:  # the engine asks at every evaluation of the loss
        nonlocal evaluations
        evaluations += 1
        if evaluations == 3:  # painting: the user cancels
            with worker.db.begin() as conn:
                conn.execute(update(Request).where(Request.id == request_id).values(status=Status.CANCELLED))
        return asks_whether_to_stop(*args)

    beat = queue.heartbeat

    def heartbeat(engine: Engine, **values: Any) -> bool:
        held = beat(engine, **values)
        if not held:
            found_lost_at.append(evaluations)
        return held

    monkeypatch.setattr(worker.jobs, "should_stop", evaluation)
    monkeypatch.setattr(queue, "heartbeat", heartbeat)
    run_next(worker)
    assert found_lost_at, "the heartbeat found the job cancelled"
    # The one evaluation that asks and stops; at most one more, begun while the heartbeat's
    # finding was on its way to the engine's thread.
    assert evaluations - found_lost_at[0] <= 2, (evaluations, found_lost_at)
    cancelled = row(worker.db, request_id)
    assert cancelled.status == Status.CANCELLED and cancelled.result_image is None


def test_sigterm_hands_the_running_job_back(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    request_id = add_request(engine, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": sqlite_url,
        "ENGINE_DEVICE": "cpu",
        "ENGINE_MAX_SIDE": "64",
        "ENGINE_STEPS": "5000",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "engine", "worker", "--name", "w-term"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: row(engine, request_id).status == Status.RUNNING, "the worker taking the job", 60)
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        process.kill()
    back = row(engine, request_id)
    assert (back.status, back.attempts, back.worker) == (Status.QUEUED, 0, None)
    with engine.connect() as conn:
        assert conn.scalar(select(Request.progress).where(Request.id == request_id)) == 0.0
    engine.dispose()


def test_a_request_for_large_with_colours_kept_gets_both(sqlite_url: str, net: FeatureNet) -> None:
    worker = make_worker(sqlite_url, net, steps=20)
    content = cat_photo()
    style = png_bytes(style_texture())
    kept = add_request(worker.db, jpeg_bytes(content), style, "strongest", keep_colors=True, size="large")
    styled = add_request(worker.db, jpeg_bytes(content), style, "strongest", size="large")
    run_next(worker)
    run_next(worker)

    def chroma_change(request_id: int) -> float:
        """How far the result's colour (Cb, Cr) is from the photo's, on average."""
        done = row(worker.db, request_id)
        assert done.status == Status.DONE and (done.output_width, done.output_height) == (56, 38)
        assert done.result_image is not None
        result = Image.open(io.BytesIO(done.result_image)).convert("YCbCr")
        original = content.resize(result.size).convert("YCbCr")
        difference = np.asarray(result, dtype=np.float32) - np.asarray(original, dtype=np.float32)
        return float(np.abs(difference[..., 1:]).mean())

    # Measured: about 2 (JPEG rounding) against about 23 when the style's colours are taken.
    assert chroma_change(kept) < 4.0 and chroma_change(styled) > 10.0


def test_a_job_past_the_time_limit_is_stopped_and_the_user_told(sqlite_url: str, net: FeatureNet) -> None:
    worker = make_worker(sqlite_url, net, steps=2000, engine_time_limit_seconds=1)
    request_id = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    started = time.monotonic()
    run_next(worker)
    assert time.monotonic() - started < 20
    stopped = row(worker.db, request_id)
    assert (stopped.status, stopped.error, stopped.result_image) == (Status.FAILED, Failure.TIME_LIMIT, None)


def test_a_worker_records_itself_as_seen(sqlite_url: str, net: FeatureNet) -> None:
    worker = make_worker(sqlite_url, net)
    stop = threading.Event()
    loop = threading.Thread(target=worker.run, args=(stop,))
    loop.start()
    try:

        def recorded() -> WorkerRow | None:
            with session_factory(worker.db)() as session:
                return session.get(WorkerRow, "test-worker")

        seen = wait_until(recorded, "the worker in the workers table", timeout=10)
    finally:
        stop.set()
        loop.join(10)
    assert seen is not None and seen.device == "cpu"
    assert utcnow() - seen.seen_at < timedelta(seconds=10)


def test_a_picture_over_the_engines_pixel_cap_is_refused(sqlite_url: str, net: FeatureNet) -> None:
    worker = make_worker(sqlite_url, net, image_max_pixels=1000)  # the cat is 64×43 = 2752 pixels
    request_id = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    run_next(worker)
    refused = row(worker.db, request_id)
    assert (refused.status, refused.error) == (Status.FAILED, Failure.TOO_LARGE)


def test_a_comparison_makes_three_strengths_in_one_job(sqlite_url: str, net: FeatureNet) -> None:
    worker = make_worker(sqlite_url, net, steps=6)
    request_id = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
    with worker.db.begin() as conn:
        conn.execute(update(Request).where(Request.id == request_id).values(compare=True))
    run_next(worker)
    done = row(worker.db, request_id)
    assert done.status == Status.DONE and done.result_image is not None
    with session_factory(worker.db)() as session:
        variants = {
            v.strength: v
            for v in session.scalars(
                select(Variant).where(Variant.request_id == request_id).options(undefer_group(PICTURES))
            )
        }
    assert set(variants) == {"light", "medium", "strong"}
    assert variants["medium"].image == done.result_image, "the request's own result is its middle strength"
    assert len({v.image for v in variants.values()}) == 3
    assert all((v.width, v.height) == (40, 27) for v in variants.values())
