"""Models and migrations agree, on SQLite and PostgreSQL; settings and URLs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from pydantic import ValidationError
from sqlalchemy import inspect

from bot.__main__ import load_settings
from stylebot.database import async_url, make_engine, sync_url
from stylebot.migrate import alembic_config
from stylebot.settings import Settings
from testkit.botapi import TOKEN
from testkit.botprocess import PROJECT_ROOT


def test_upgrade_head_then_check_finds_nothing(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, "head")  # already at head: a no-op that must not fail
    command.check(config)  # raises if the models and the migrations disagree
    engine = make_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"users", "requests", "alembic_version"} <= tables


def test_migrating_an_empty_sqlite_file_creates_its_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'nested' / 'bot.db'}"
    command.upgrade(alembic_config(url), "head")
    assert (tmp_path / "data" / "nested" / "bot.db").exists()
    command.downgrade(alembic_config(url), "base")


def test_database_urls_get_the_right_drivers() -> None:
    assert str(sync_url("sqlite:///data/x.db")) == "sqlite+pysqlite:///data/x.db"
    assert str(async_url("sqlite:///data/x.db")) == "sqlite+aiosqlite:///data/x.db"
    assert async_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert sync_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(ValueError, match="unsupported"):
        sync_url("mysql://u@h/db")


def test_settings_defaults_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "ENGINE_WORKERS", "ENGINE_DEVICE"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.telegram_bot_token is None
    assert settings.database_url == "sqlite:///data/stylebot.db"
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.engine_workers == 1 and settings.engine_device == "auto"

    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nENGINE_WORKERS=3\n")
    monkeypatch.setenv("ENGINE_WORKERS", "0")  # the environment wins over .env
    settings = Settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())
    assert settings.engine_workers == 0


def test_env_example_copied_with_a_token_is_a_valid_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The first set-up step: `cp .env.example .env`, fill in the token. Empty values are defaults."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "ENGINE_", "DATABASE_", "ALLOWED_", "ADMIN_", "STYLE_", "DAILY_")):
            monkeypatch.delenv(name)
    example = (PROJECT_ROOT / ".env.example").read_text()
    (tmp_path / ".env").write_text(example.replace("TELEGRAM_BOT_TOKEN=\n", f"TELEGRAM_BOT_TOKEN={TOKEN}\n"))
    settings = Settings()
    assert settings.telegram_bot_token is not None and settings.engine_max_side is None
    assert settings.allowed_user_ids == [] and settings.style_gallery_dir is None
    assert settings.telegram_webhook_url is None and settings.daily_quota == 0
    # Every setting is in .env.example, and every line there is a setting.
    named = {
        line.split("=", 1)[0].lower() for line in example.splitlines() if line and not line.startswith("#")
    }
    assert named == set(Settings.model_fields)


def test_id_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_USER_IDS", "12, 34,56")
    monkeypatch.setenv("ADMIN_USER_IDS", "[78]")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.allowed_user_ids, settings.admin_user_ids) == ([12, 34, 56], [78])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "changeme"),
        ("ENGINE_DEVICE", "tpu"),
        ("ENGINE_WORKERS", "-1"),
        ("ADMIN_USER_IDS", "alice"),
        ("TELEGRAM_WEBHOOK_SECRET", "has spaces!"),
    ],
)
def test_bad_settings_are_refused_without_echoing_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()
    assert load_settings() is None
    printed = capsys.readouterr().err
    assert name in printed
    assert value not in printed  # a mistyped token is still a secret


def test_migrating_with_a_bad_setting_says_what_without_a_traceback(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT_ROOT),
        "TELEGRAM_BOT_TOKEN": "changeme-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    alembic = Path(sys.executable).parent / "alembic"
    done = subprocess.run(
        [str(alembic), "-c", str(PROJECT_ROOT / "alembic.ini"), "upgrade", "head"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in done.stderr
    assert "changeme-secret" not in done.stderr + done.stdout and "Traceback" not in done.stderr
