"""The real bot (`python -m bot`) as a process of its own, against the Bot API stand-in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testkit.botapi import TOKEN, BotApiStandIn
from testkit.waiting import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def bot_env(botapi: BotApiStandIn, database_url: str, **overrides: Any) -> dict[str, str]:
    """The environment of a bot process: the stand-in, the database, one tiny engine worker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ENGINE_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=botapi.base_url,
        TELEGRAM_BASE_FILE_URL=botapi.base_file_url,
        DATABASE_URL=database_url,
        ENGINE_DEVICE="cpu",
        ENGINE_WORKERS="1",
        ENGINE_MAX_SIDE="48",
        ENGINE_STEPS="8",
        LOG_LEVEL="INFO",
        METRICS_PORT="0",  # tests run bots side by side: none takes the default port
        # Beside other test processes, a worker that yields the CPU to all of them could wait minutes
        # for its share; what it yields to the bot is not what these tests check.
        ENGINE_WORKER_NICENESS="0",
        ENGINE_THREADS="1",  # and the test processes share the CPUs: one torch thread each
        # The project first; a PYTHONPATH of the run's own after it (a sitecustomize, say).
        PYTHONPATH=os.pathsep.join([str(PROJECT_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    )
    env.update({k.upper(): str(v) for k, v in overrides.items()})
    return env


@dataclass(frozen=True)
class Webhook:
    """Where a bot in webhook mode listens on loopback, and the secret Telegram sends with each post."""

    url: str
    secret: str
    port: int

    @classmethod
    def on_free_port(cls, path: str, secret: str) -> Webhook:
        port = free_port()
        return cls(f"http://127.0.0.1:{port}{path}", secret, port)

    def settings(self) -> dict[str, Any]:
        """The bot's settings for it (bot_env's overrides)."""
        return {
            "telegram_webhook_url": self.url,
            "telegram_webhook_secret": self.secret,
            "telegram_webhook_listen": "127.0.0.1",
            "telegram_webhook_port": self.port,
        }


class BotProcess:
    """`python -m bot` in a scratch folder (so no developer's .env is read); its log goes to a file."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env = env
        self.workdir = workdir
        self.log_path = workdir / f"bot-{os.urandom(3).hex()}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BotProcess:
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=self.workdir,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()
        return self.process.returncode

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
