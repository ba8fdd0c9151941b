"""An engine worker's /healthz, /readyz and /metrics over real HTTP: as its own process, and with
a job whose engine hangs."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import torch
from prometheus_client.parser import text_string_to_metric_families

from engine import job as job_module
from engine.device import usable_cpus
from engine.health import WorkerHealth, start_health_server, stop_health_server
from engine.launch import spawn_worker
from engine.transfer import ALL_LAYERS
from engine.vgg import FeatureNet
from engine.worker import Worker
from stylebot.database import make_engine
from stylebot.models import Status
from stylebot.monitoring import PROMETHEUS_TEXT
from stylebot.settings import Settings
from testkit.botprocess import PROJECT_ROOT
from testkit.pictures import cat_photo, jpeg_bytes, png_bytes, style_texture
from testkit.waiting import free_port, wait_until
from tests.test_worker import add_request, row


def get(port: int, path: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read().decode(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers["Content-Type"]


def metric(port: int, sample_name: str, **labels: str) -> float | None:
    status, body, content_type = get(port, "/metrics")
    assert status == 200 and content_type == PROMETHEUS_TEXT
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == sample_name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return None


def test_a_worker_process_answers_and_counts_its_jobs(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": sqlite_url,
        "ENGINE_DEVICE": "cpu",
        "ENGINE_MAX_SIDE": "32",
        "ENGINE_STEPS": "2",
    }
    command = [sys.executable, "-m", "engine", "worker", "--name", "w-health", "--health-port", str(port)]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )

    def answers(path: str) -> bool:
        assert process.poll() is None, process.communicate()[0]
        try:
            return get(port, path)[0] == 200
        except OSError:  # not listening yet
            return False

    try:
        wait_until(lambda: answers("/readyz"), "the worker never became ready", timeout=120)
        assert get(port, "/healthz")[:2] == (200, "ok\n")
        assert metric(port, "stylebot_worker_info", name="w-health", device="cpu") == 1
        assert metric(port, "stylebot_worker_jobs_total", outcome="done") == 0
        assert (metric(port, "stylebot_worker_last_database_contact_timestamp_seconds") or 0) > 0

        request_id = add_request(engine, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
        wait_until(lambda: metric(port, "stylebot_worker_jobs_total", outcome="done") == 1, "no job counted")
        assert row(engine, request_id).status == Status.DONE
        assert metric(port, "stylebot_worker_job_seconds_count", outcome="done") == 1
        assert metric(port, "stylebot_worker_running_jobs") == 0
        assert get(port, "/healthz")[0] == 200

        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        process.kill()
        process.communicate()
        engine.dispose()


def test_a_hung_engine_makes_the_worker_unhealthy_until_it_moves_again(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(_env_file=None, database_url=sqlite_url, engine_max_side=32, engine_steps=2)
    health = WorkerHealth(stale_after=2.0)  # an idle loop beats every IDLE_POLL_SECONDS (0.5)
    server = start_health_server(health, host="127.0.0.1", port=0)
    port = server.server_address[1]
    release = threading.Event()

    def hung_engine(*_args: object, **_kwargs: object) -> None:
        release.wait(60)  # a driver call that does not return, until the test lets it
        raise RuntimeError("the device was reset")

    monkeypatch.setattr(job_module, "stylize", hung_engine)
    worker = Worker(
        settings, name="w-hung", device=torch.device("cpu"), net=FeatureNet(ALL_LAYERS), health=health
    )
    stop = threading.Event()
    loop = threading.Thread(target=worker.run, args=(stop,))
    try:
        assert get(port, "/readyz")[:2] == (503, "loading the model\n")
        health.model_loaded(name=worker.name, device="cpu", cpu_threads=1)
        loop.start()
        wait_until(lambda: get(port, "/readyz")[0] == 200, "never ready")
        assert get(port, "/healthz")[0] == 200

        request_id = add_request(worker.db, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
        wait_until(lambda: get(port, "/healthz")[0] == 503, "the hung job loop went unnoticed")
        assert "job loop w-hung silent for" in get(port, "/healthz")[1]
        assert metric(port, "stylebot_worker_running_jobs") == 1

        release.set()
        wait_until(lambda: get(port, "/healthz")[0] == 200, "the loop never came back")
        wait_until(
            lambda: metric(port, "stylebot_worker_jobs_total", outcome="failed") == 1, "no failure counted"
        )
        assert row(worker.db, request_id).status == Status.FAILED  # recorded before it is counted
        assert metric(port, "stylebot_worker_running_jobs") == 0
    finally:
        release.set()
        stop.set()
        if loop.is_alive():
            loop.join(30)
        stop_health_server(server)
    # A loop stopped as asked is not a hung one.
    assert health.not_alive() is None


def test_the_bots_worker_n_listens_on_the_base_port_plus_n(sqlite_url: str) -> None:
    """And, the bot's only worker, takes every CPU for its jobs (not OMP_NUM_THREADS=1, which it
    inherits from the test run)."""
    base = free_port() - 1  # worker 1's port is the one found free (base itself is no one's)
    settings = Settings(
        _env_file=None,
        database_url=sqlite_url,
        engine_device="cpu",
        engine_workers=1,
        worker_health_port=base,
    )
    process = spawn_worker(settings, 1)
    try:

        def ready() -> bool:
            assert process.is_alive()
            try:
                return get(base + 1, "/readyz")[0] == 200
            except OSError:
                return False

        wait_until(ready, "worker 1 never answered on WORKER_HEALTH_PORT + 1", timeout=120)
        assert metric(base + 1, "stylebot_worker_cpu_threads") == usable_cpus()
    finally:
        process.terminate()
        process.join(30)
    assert process.exitcode == 0
