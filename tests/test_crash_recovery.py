"""Nothing a user sends is lost across a crash, and nobody is answered twice: the real bot process,
killed with SIGKILL at every point of a conversation, or stopped with SIGTERM, then started again.

The stand-in kills the bot the moment the bot makes a chosen call (that call is never carried out),
or the moment it asks for updates past a chosen one (so Telegram counts that update as delivered).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
from sqlalchemy import create_engine, select, update

from engine.launch import pool_worker_name
from stylebot.models import Inbox, Request, Status, utcnow
from testkit.botapi import BotApiStandIn, Call, User
from testkit.botprocess import BotProcess, Webhook, bot_env
from testkit.finished import insert_done_request
from testkit.pictures import CAT, WAVES
from testkit.waiting import free_port, wait_until, wait_until_async
from tests.harness import once_listening, says, text_of

ANSWERS = ("sendMessage", "sendPhoto", "editMessageText", "answerCallbackQuery")


@dataclass(frozen=True)
class KillPoint:
    step: int  # the conversation's step whose update is in hand
    at: str  # "fetch": when the bot asks for updates past it; "answer": at its first answering call

    def __str__(self) -> str:
        return f"step {self.step}, {self.at}"


def answered(botapi: BotApiStandIn, user: User, key: str) -> list[Call]:
    """The messages the user got (carried out by Telegram) that say `key`."""
    return [
        c
        for c in botapi.calls
        if c.method in ("sendMessage", "sendPhoto", "editMessageText")
        and c.chat_id == user.id
        and c.result is not None
        and says(text_of(c), key)
    ]


def kill_when(botapi: BotApiStandIn, bot: BotProcess, predicate: Callable[[Call], bool]) -> threading.Event:
    """Kills the bot (SIGKILL) at the first call that `predicate` takes; that call is dropped."""
    fired = threading.Event()

    def hook(call: Call) -> str:
        if fired.is_set() or not predicate(call):
            return "go"
        assert bot.process is not None
        os.kill(bot.process.pid, signal.SIGKILL)
        fired.set()
        return "drop"

    botapi.hooks.append(hook)
    return fired


async def wait_set(event: threading.Event, what: str, timeout: float = 60) -> None:
    await wait_until_async(event.is_set, what, timeout)


async def wait_answer(botapi: BotApiStandIn, user: User, key: str, timeout: float = 60) -> Call:
    def seen() -> str:
        return f"{user.id} getting {key}; the last calls say {[text_of(c) for c in botapi.calls[-8:]]}"

    found = await wait_until_async(lambda: answered(botapi, user, key), seen, timeout)
    return found[0]


def pending_updates(database_url: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        count = len(list(conn.scalars(select(Inbox.update_id).where(Inbox.done_at.is_(None)))))
    engine.dispose()
    return count


def requests_of(database_url: str, user_id: int) -> list[Request]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = list(conn.execute(select(Request).where(Request.user_id == user_id)))
    engine.dispose()
    return found  # type: ignore[return-value]


async def test_kill_nine_at_every_point_of_a_conversation_loses_nothing_and_repeats_nothing(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    env = bot_env(botapi, sqlite_url, engine_workers=0)
    # What each step is answered with; the last, the question turned into the request's status.
    keys = ("start", "got_content", "got_style", "strength_chosen")
    points = [KillPoint(step, at) for step in range(len(keys)) for at in ("fetch", "answer")]
    bots = [BotProcess(env, tmp_path).__enter__()]
    try:
        for number, point in enumerate(points):
            user = User(8000 + number)
            await _converse_with_a_kill(botapi, bots, env, tmp_path, sqlite_url, user, point, keys)
            for key in keys[:-1]:
                times = len(answered(botapi, user, key))
                assert times == 1, f"{point}: {key} answered {times} times"
            # The status is edited on as the queue moves; what must be once is the request, and no
            # status message sent beside the question it replaced.
            assert len(requests_of(sqlite_url, user.id)) == 1, point
            statuses = [c.method for c in answered(botapi, user, "strength_chosen")]
            assert statuses and set(statuses) == {"editMessageText"}, point
    finally:
        for bot in bots:  # stopping one already stopped does nothing
            bot.stop()
    assert pending_updates(sqlite_url) == 0, "every update was handled"


async def _converse_with_a_kill(
    botapi: BotApiStandIn,
    bots: list[BotProcess],
    env: dict[str, str],
    workdir: Path,
    database_url: str,
    user: User,
    point: KillPoint,
    keys: tuple[str, ...],
) -> None:
    """The conversation's steps, one answered after the other; at `point` the bot is killed and a
    new one started (appended to `bots`).

    Each step waits until the update before it is done in the inbox, not only answered: between
    Telegram's carrying out a send and the bot's record of it there is a moment a kill would make
    the send repeat (at-least-once), and a kill at `point` means the update of `point` in hand."""
    question: Call | None = None
    for step, key in enumerate(keys):
        act: Callable[[], int] = {
            0: lambda: botapi.send_text(user, "/start"),
            1: lambda: botapi.send_photo(user, CAT),
            2: lambda: botapi.send_photo(user, WAVES),
            3: lambda q=question: botapi.press_button(user, q.result, "strength:medium"),  # type: ignore[union-attr]
        }[step]
        if step != point.step:
            act()
        else:
            fired = _arm(botapi, bots[-1], user, point, act)
            await wait_set(fired, f"the kill at {point}")
            bots[-1].stop(signal.SIGKILL)
            botapi.hooks.clear()
            bots.append(BotProcess(env, workdir).__enter__())
        found = await wait_answer(botapi, user, key)
        # Every update received marked done (what it sent is recorded by then).
        wait_until(lambda: pending_updates(database_url) == 0, "every update marked done", timeout=60)
        if key == "got_style":
            question = found


def _arm(
    botapi: BotApiStandIn, bot: BotProcess, user: User, point: KillPoint, act: Callable[[], int]
) -> threading.Event:
    """Does the step's action with the kill armed for it."""
    if point.at == "answer":
        fired = kill_when(botapi, bot, lambda c: c.method in ANSWERS and c.chat_id == user.id)
        act()
        return fired
    holder: dict[str, int] = {}
    fired = kill_when(
        botapi,
        bot,
        lambda c: (
            c.method == "getUpdates" and "id" in holder and int(c.params.get("offset") or 0) > holder["id"]
        ),
    )
    holder["id"] = act()
    return fired


async def test_sigterm_finishes_the_update_in_hand_and_keeps_what_came_after(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    user = User(8100)
    env = bot_env(botapi, sqlite_url, engine_workers=0)
    with BotProcess(env, tmp_path) as bot:
        botapi.send_text(user, "/start")
        await wait_answer(botapi, user, "start")
        # The gallery's picture takes two seconds to upload; SIGTERM arrives while it does.
        botapi.delays["sendPhoto"] = [2.0]
        sent = threading.Event()

        def terminate(call: Call) -> str:
            if call.method == "sendPhoto" and not sent.is_set():
                assert bot.process is not None
                sent.set()
                bot.process.send_signal(signal.SIGTERM)
            return "go"

        botapi.hooks.append(terminate)
        botapi.send_photo(user, CAT)
        await wait_set(sent, "the upload")
        botapi.send_photo(user, WAVES)  # arrives while the bot is stopping: for the next run
        assert bot.process is not None
        code = await asyncio.to_thread(bot.process.wait, 60)
        botapi.hooks.clear()
    assert code == 0, bot.log()
    assert len(answered(botapi, user, "got_content")) == 1, "the update in hand was finished"
    assert not answered(botapi, user, "got_style"), "the stopping bot took nothing new"
    first_run = botapi.mark()  # the first bot has exited: every call from here on is the second's
    with BotProcess(env, tmp_path) as bot:
        style = await wait_answer(botapi, user, "got_style")
    assert botapi.calls.index(style) >= first_run, "the photo sent while stopping was the next run's"
    assert [len(answered(botapi, user, k)) for k in ("start", "got_content", "got_style")] == [1, 1, 1]
    assert pending_updates(sqlite_url) == 0


async def test_the_bots_own_workers_jobs_go_back_to_the_queue_at_once(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    """A job left running by the bot's worker before a crash, and one whose worker sees the bot die."""
    leftover = insert_done_request(sqlite_url, user_id=8200)
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:  # as the previous run's worker 0 left it: running, lease still fresh
        conn.execute(
            update(Request)
            .where(Request.id == leftover)
            .values(
                status=Status.RUNNING,
                worker=pool_worker_name(0),
                attempts=1,
                delivered_at=None,
                started_at=utcnow() - timedelta(seconds=5),
                heartbeat_at=utcnow(),
            )
        )
    left_at = _row(engine, leftover).started_at
    env = bot_env(botapi, sqlite_url, engine_workers=1, engine_steps=5000, engine_max_side=64)
    with BotProcess(env, tmp_path) as bot:
        # Handed back at start-up without spending the attempt, then taken by the new worker 0.
        def taken_again() -> Request | None:
            row = _row(engine, leftover)
            return row if row.started_at != left_at and row.status == Status.RUNNING else None

        row = await wait_until_async(taken_again, lambda: f"taken again: {bot.log()[-2000:]}", 120)
        assert row.attempts == 1, "handed back without spending an attempt, then claimed again"
        assert "went back to the queue" in bot.log()
        bot.stop(signal.SIGKILL)
    # The worker sees its bot gone and hands the job back: well within the 60 s lease.
    await wait_until_async(
        lambda: _row(engine, leftover).status == Status.QUEUED,
        lambda: f"the job back from a dead bot's worker: {bot.log()[-3000:]}",
        timeout=20,
    )
    back = _row(engine, leftover)
    assert (back.worker, back.attempts) == (None, 0)
    engine.dispose()


def _row(engine: object, request_id: int) -> Request:
    from sqlalchemy.orm import Session

    with Session(engine) as session:  # type: ignore[call-overload]
        found = session.get(Request, request_id)
        assert found is not None
        return found


async def test_a_webhook_update_answered_200_is_handled_after_a_crash(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    hook, metrics_port = Webhook.on_free_port("/hook", "webhook-secret_7"), free_port()
    url, secret = hook.url, hook.secret
    env = bot_env(botapi, sqlite_url, engine_workers=0, metrics_port=metrics_port, **hook.settings())
    user = User(8300)
    with BotProcess(env, tmp_path) as bot:
        await botapi.wait_for("setWebhook", timeout=60)
        fired = kill_when(botapi, bot, lambda c: c.method == "sendMessage" and c.chat_id == user.id)
        update = {"update_id": 501, "message": botapi.text_message(user, "/start")}
        async with aiohttp.ClientSession() as http:
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
            taken, _ = await once_listening(http, "POST", url, bot.log, json=update, headers=headers)
        assert taken == 200
        await wait_set(fired, "the kill at the answer")
        botapi.hooks.clear()
    # Telegram had its 200: it will not post the update again. The inbox has it.
    with BotProcess(env, tmp_path):
        await wait_answer(botapi, user, "start")
        async with aiohttp.ClientSession() as http:
            address = f"http://127.0.0.1:{metrics_port}/metrics"
            _, metrics = await once_listening(http, "GET", address, "the metrics served")
    assert len(answered(botapi, user, "start")) == 1
    assert "stylebot_updates_replayed_total 1.0" in metrics
