"""The whole product through real HTTP: the bot process, a worker process, the Bot API stand-in."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
from PIL import Image
from sqlalchemy import create_engine, select

from bot.texts.catalogue import text
from stylebot.models import Request, Status
from testkit.botapi import TOKEN, BotApiStandIn, User
from testkit.botprocess import BotProcess, Webhook, bot_env
from testkit.pictures import cat_photo, jpeg_bytes, png_bytes, style_texture
from testkit.waiting import wait_until_async, wait_while_moving
from tests.harness import asks, buttons, once_listening, said, says, send_two_pictures


def _job(database_url: str) -> tuple[object, ...] | None:
    """What moves while the first request is painted and delivered: (delivered at, status,
    progress, heartbeat), or None before it is queued."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = conn.execute(
            select(Request.delivered_at, Request.status, Request.progress, Request.heartbeat_at).where(
                Request.id == 1
            )
        ).first()
    engine.dispose()
    return tuple(found) if found is not None else None


def _statuses(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        statuses = list(conn.scalars(select(Request.status).order_by(Request.id)))
    engine.dispose()
    return statuses


async def test_two_photos_and_a_button_give_a_painting(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    user = User(id=4242, first_name="Ada")
    with BotProcess(bot_env(botapi, sqlite_url), tmp_path) as bot:
        keyboard = await send_two_pictures(botapi, user, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
        offered = list(buttons(keyboard))
        assert offered == ["strength:light", "strength:medium", "strength:strong", "compare", "swap"]

        mark = botapi.mark()
        botapi.press_button(user, keyboard.result, "strength:medium")
        await botapi.wait_for("answerCallbackQuery", after=mark)
        await botapi.wait_for(
            "editMessageText", lambda c: "Queued, position 1" in c.params["text"], after=mark
        )
        # The painting takes what this machine takes: waited for while the job moves in the database
        # (its heartbeat, its progress), never against a fixed clock.
        await wait_while_moving(
            lambda: _job(sqlite_url),
            lambda job: job is not None and job[0] is not None,
            lambda: f"the painting delivered: {bot.log()[-3000:]}",
            stalled_after=120,
        )
        photo = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, after=mark)

        assert int(photo.params["chat_id"]) == user.id
        result = Image.open(io.BytesIO(photo.files["photo"]))
        assert result.format == "JPEG"
        assert result.size == (48, 32)  # the 64×43 cat, long side capped by ENGINE_MAX_SIDE=48
        assert says(photo.params["caption"], "strength_chosen", strength=text("en", "strength_as_medium"))

        history = await said(botapi, lambda: botapi.send_text(user, "/history"), "sendPhoto")
        assert says(history.params["caption"], "history_line", id=1, status=text("en", "status_done"))
        assert "48×32" in history.params["caption"], "the sizes are in /history"
        # A worker that dies is started again by the bot.
        [pid] = re.findall(r"engine worker 0 started \(pid (\d+)\)", bot.log())
        os.kill(int(pid), signal.SIGKILL)
        await wait_until_async(lambda: len(re.findall(r"engine worker 0 started", bot.log())) >= 2, bot.log)
        assert "engine worker 0 exited with code -9" in bot.log()
    assert bot.process is not None and bot.process.returncode == 0, bot.log()
    assert _statuses(sqlite_url) == [Status.DONE]
    assert len([c for c in botapi.calls_to("sendPhoto") if "file:1" in buttons(c)]) == 1, "one painting"
    assert TOKEN not in bot.log()


async def test_cancel_cancels_the_queued_request(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    user = User(id=5151)
    # No workers: the request stays queued until cancelled.
    with BotProcess(bot_env(botapi, sqlite_url, engine_workers=0), tmp_path):
        keyboard = await send_two_pictures(botapi, user, jpeg_bytes(cat_photo()), png_bytes(style_texture()))
        await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:strong"), "editMessageText"
        )
        assert _statuses(sqlite_url) == [Status.QUEUED]
        reply = await said(botapi, lambda: botapi.send_text(user, "/cancel"))
        assert says(reply.params["text"], "cancelled_notice")
        assert _statuses(sqlite_url) == [Status.CANCELLED]
        history = await said(botapi, lambda: botapi.send_text(user, "/history"))
        assert says(history.params["text"], "history_line", status=text("en", "status_cancelled"))


def test_without_a_token_it_says_how_to_get_one(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "@BotFather" in done.stderr and ".env" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


async def test_webhook_mode_takes_updates_only_with_the_secret(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    hook = Webhook.on_free_port("/stylebot-hook", "webhook-secret_42")
    url, secret = hook.url, hook.secret
    env = bot_env(botapi, sqlite_url, engine_workers=0, **hook.settings())
    user = User(6161)
    with BotProcess(env, tmp_path) as bot:
        registered = await botapi.wait_for("setWebhook", timeout=60)
        assert registered.params["url"] == url and registered.params["secret_token"] == secret
        async with aiohttp.ClientSession() as http:
            update = {"update_id": 1, "message": botapi.text_message(user, "/help")}
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            refused, _ = await once_listening(http, "POST", url, bot.log, json=update, headers=wrong)
            assert refused == 403
            async with http.post(
                url, json={"update_id": 2, "message": botapi.text_message(user, "/help")}
            ) as bare:
                assert bare.status == 403

            mark = botapi.mark()
            update = {"update_id": 3, "message": botapi.text_message(user, "/help")}
            async with http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
            ) as taken:
                assert taken.status == 200
            reply = await botapi.wait_for("sendMessage", after=mark)
            assert says(reply.params["text"], "help") and int(reply.params["chat_id"]) == user.id
            # The two refused updates were never handled: the only answer is to the third.
            assert [c.params["text"] for c in botapi.calls_to("sendMessage")] == [reply.params["text"]]
        assert not botapi.calls_to("getUpdates"), "no polling in webhook mode"
    assert bot.process is not None and bot.process.returncode == 0, bot.log()
    assert "by webhook" in bot.log() and secret not in bot.log() and TOKEN not in bot.log()


async def test_a_conversation_survives_the_bot_being_killed(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    user = User(7171)
    env = bot_env(botapi, sqlite_url, engine_workers=0)
    with BotProcess(env, tmp_path) as bot:
        await said(botapi, lambda: botapi.send_text(user, "/start"), timeout=60)
        await said(
            botapi, lambda: botapi.send_photo(user, jpeg_bytes(cat_photo())), "sendPhoto", asks("got_content")
        )
        bot.stop(signal.SIGKILL)  # at once: the draft was saved with the update's completion
    with BotProcess(env, tmp_path) as bot:
        keyboard = await said(botapi, lambda: botapi.send_photo(user, png_bytes(style_texture())), timeout=60)
        assert says(keyboard.params["text"], "got_style"), bot.log()
        await said(
            botapi, lambda: botapi.press_button(user, keyboard.result, "strength:strong"), "editMessageText"
        )
    assert _statuses(sqlite_url) == [Status.QUEUED]
