"""An engine worker process: the device, the model (loaded once, shared), the health endpoints,
and `concurrency` job loops (engine.worker), until SIGTERM or SIGINT hands the running jobs back."""

from __future__ import annotations

import logging
import signal
import threading
import time

import torch

from engine.device import configure, resolve_device, share_cpu
from engine.health import WorkerHealth, start_health_server, stop_health_server
from engine.params import params_for
from engine.transfer import ALL_LAYERS
from engine.vgg import load_feature_net
from engine.warmup import warm_up
from engine.worker import Worker, default_worker_name
from stylebot.choices import Size
from stylebot.settings import Settings

log = logging.getLogger(__name__)


def run_worker(
    settings: Settings,
    *,
    name: str | None = None,
    device: str | None = None,
    concurrency: int = 1,
    health_port: int = 0,
    health_listen: str | None = None,
    machine_loops: int | None = None,
) -> None:
    """Runs `concurrency` job loops sharing one model until SIGTERM or SIGINT; with a `health_port`,
    serves /healthz, /readyz and /metrics on it (engine.health) from before the model loads.
    `machine_loops`: the job loops on this machine in all (the bot's workers), when more than ours."""
    torch_device = resolve_device(device or settings.engine_device)
    configure(torch_device)
    if torch_device.type == "cpu":
        log.info(
            "worker: %d CPU thread(s) per job",
            share_cpu(machine_loops or concurrency, settings.engine_threads),
        )
    health = WorkerHealth(stale_after=settings.job_lease_seconds) if health_port else None
    server = None
    if health is not None:
        host = health_listen or settings.metrics_listen
        try:
            server = start_health_server(health, host=host, port=health_port)
        except OSError as exc:
            raise SystemExit(f"worker: cannot listen on {host}:{health_port} for /healthz: {exc}") from exc
    net = load_feature_net(ALL_LAYERS, weights=settings.engine_weights, device=torch_device)
    if torch_device.type == "cuda":
        # cuDNN prepares itself per input shape: pay it for the common canvases now, not in a
        # user's first job (engine/warmup.py); /readyz says ready only after this.
        seconds = warm_up(net, params_for(torch_device, Size.STANDARD, settings))
        log.info("worker: the common canvases warmed up in %.1f s", seconds)
    name = name or default_worker_name()
    if health is not None:
        health.model_loaded(name=name, device=str(torch_device), cpu_threads=torch.get_num_threads())
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.info("worker %s: signal %d, stopping after handing back the current job", name, signum)
        stop.set()
        if health is not None:
            health.stopping.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)

    log.info("worker %s: ready on %s, %d job(s) at once", name, torch_device, concurrency)
    loops = [
        threading.Thread(
            target=Worker(
                settings,
                name=f"{name}/{i}" if concurrency > 1 else name,
                device=torch_device,
                net=net,
                health=health,
            ).run,
            args=(stop,),
            name=f"job-loop-{i}",
        )
        for i in range(concurrency)
    ]
    for loop in loops:
        loop.start()
    while any(loop.is_alive() for loop in loops):
        time.sleep(0.2)
    if server is not None:
        stop_health_server(server)
    log.info("worker %s: stopped", name)
