"""Runs the real bot (`python -m bot`) as a process against the Bot API stand-in."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from telegram.ext import Application

from bot.app import build_application, start_background, stop_background
from stylebot.models import Request, utcnow
from stylebot.models import User as UserRow
from stylebot.settings import Settings
from tests.botapi import BotApiStandIn, Call, User
from tests.conftest import PROJECT_ROOT, TOKEN, cat_photo, jpeg_bytes, png_bytes, style_texture

CAT = jpeg_bytes(cat_photo())
WAVES = png_bytes(style_texture())


@contextlib.asynccontextmanager
async def running_bot(
    botapi: BotApiStandIn, database_url: str, **settings: Any
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The real Application in this process, polling the stand-in; no engine workers unless asked."""
    app = build_application(
        Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=TOKEN,  # type: ignore[arg-type]
            telegram_base_url=botapi.base_url,
            telegram_base_file_url=botapi.base_file_url,
            database_url=database_url,
            **{"engine_workers": 0, **settings},
        )
    )
    await app.initialize()
    await start_background(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()  # writes the conversation states and user data one last time
        await stop_background(app)
        await app.shutdown()


def bot_env(botapi: BotApiStandIn, database_url: str, **overrides: Any) -> dict[str, str]:
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
        PYTHONPATH=str(PROJECT_ROOT),
    )
    env.update({k.upper(): str(v) for k, v in overrides.items()})
    return env


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


async def send_two_pictures(botapi: BotApiStandIn, user: User, content: bytes, style: bytes) -> Call:
    """/start, content photo, style photo; returns the message that carries the strength keyboard."""
    mark = botapi.mark()
    botapi.send_text(user, "/start")
    await botapi.wait_for(
        "sendMessage", lambda c: "content photo" in c.params["text"], after=mark, timeout=60
    )
    mark = botapi.mark()
    botapi.send_photo(user, content)
    await botapi.wait_for("sendMessage", lambda c: "Got the photo" in c.params["text"], after=mark)
    mark = botapi.mark()
    botapi.send_photo(user, style)
    return await botapi.wait_for("sendMessage", lambda c: "reply_markup" in c.params, after=mark)


def add_done_request(
    database_url: str,
    *,
    user_id: int,
    size: tuple[int, int] = (64, 43),
    strength: str = "medium",
    pictures: bool = True,
    seconds: float = 20.0,
) -> int:
    """A request a worker has finished (in `seconds`) and the bot has not yet delivered."""
    engine = create_engine(database_url)
    finished = utcnow()
    with Session(engine) as session, session.begin():
        if session.get(UserRow, user_id) is None:
            session.add(UserRow(id=user_id, name="Ada"))
            session.flush()
        request = Request(
            user_id=user_id,
            chat_id=user_id,
            content_file_id="content-file",
            content_image=CAT if pictures else None,
            style_file_id="style-file",
            style_image=WAVES if pictures else None,
            strength=strength,
            status="done",
            result_image=jpeg_bytes(cat_photo().resize(size)),
            output_width=size[0],
            output_height=size[1],
            engine_seconds=seconds - 1,
            created_at=finished - timedelta(seconds=seconds + 1),
            started_at=finished - timedelta(seconds=seconds),
            finished_at=finished,
        )
        session.add(request)
        session.flush()
        request_id = request.id
    engine.dispose()
    return request_id
