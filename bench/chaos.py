"""Users × pictures while Telegram fails FAULT_RATE of the calls of every method, at random (a 502, a
timeout, a 429 in turn), engine workers are killed -9 and restarted, and the bot is killed -9 once
and restarted: requests made, delivered once, lost, duplicated.

    python -m bench.chaos [--users 10] [--pictures 2] [--main /work/main]

The real bot (`python -m bot`) polls the Bot API stand-in; the engine is tests/fake_worker.py's
stand-in (the figures are about the bot and the queue). Each user, on a thread of their own, sends
a photo, a style picture and presses a strength, then waits for the painting; a step the bot never
answers (within STEP_SECONDS) counts its picture lost and the user starts over with /start. With
--main, the same run against another checkout's bot (the stand-in, the workers and the driver stay
this checkout's), side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from stylebot.migrate import upgrade_to_head
from testkit.botapi import TOKEN, BotApiStandIn, Call, User
from testkit.botprocess import PROJECT_ROOT, BotProcess, bot_env
from testkit.pictures import CAT, WAVES
from tests.harness import says, text_of

METHODS = (
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "sendChatAction",
    "getFile",
    "download",
)
STEP_SECONDS = 60.0  # a step unanswered this long is lost (the bot's retries take under 40 s)
RESULT_SECONDS = 180.0
WORKERS = 2
FAULT_RATE = 0.3
# A worker killed -9 this often, in turn (a worker takes some seconds to start: torch's import).
KILL_EVERY_SECONDS = 20.0
REQUEST_ID = re.compile(r"file:(\d+)")


@dataclass
class Figures:
    made: int
    delivered_once: int
    lost: int
    duplicated: int
    apologies: int
    seconds: float


def _find(botapi: BotApiStandIn, mark: int, chat: int, check: Callable[[Call], bool]) -> Call | None:
    with botapi._lock:
        recent = botapi.calls[mark:]
    return next((c for c in recent if c.chat_id == chat and c.result is not None and check(c)), None)


def _await(
    botapi: BotApiStandIn, mark: int, chat: int, check: Callable[[Call], bool], seconds: float
) -> Call | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = _find(botapi, mark, chat, check)
        if found is not None:
            return found
        time.sleep(0.1)
    return None


def _asks(key: str) -> Callable[[Call], bool]:
    return lambda call: says(text_of(call), key)


def _is_result(call: Call) -> bool:
    return call.method == "sendPhoto" and "file:" in json.dumps(call.params.get("reply_markup"))


def _user(botapi: BotApiStandIn, user: User, pictures: int) -> None:
    """One user's pictures, one after the other; a step never answered loses its picture."""
    for _ in range(pictures):
        mark = botapi.mark()
        botapi.send_photo(user, CAT)
        if _await(botapi, mark, user.id, _asks("got_content"), STEP_SECONDS) is None:
            botapi.send_text(user, "/start")
            continue
        mark = botapi.mark()
        botapi.send_photo(user, WAVES)
        question = _await(botapi, mark, user.id, _asks("got_style"), STEP_SECONDS)
        if question is None:
            botapi.send_text(user, "/start")
            continue
        mark = botapi.mark()
        botapi.press_button(user, question.result, "strength:medium")
        _await(botapi, mark, user.id, _is_result, RESULT_SECONDS)


@contextlib.contextmanager
def _workers(url: str, folder: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(PROJECT_ROOT), "DATABASE_URL": url}
    env |= {"JOB_LEASE_SECONDS": "5", "FAKE_ENGINE_SECONDS": "0.5"}

    def start(name: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "tests.fake_worker", name]
        return subprocess.Popen(
            command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    running = [start(f"chaos-{n}") for n in range(WORKERS)]
    stop = threading.Event()

    def kill_now_and_then() -> None:  # a worker killed -9 now and then, a new one started in its place
        turn = 0
        while not stop.wait(KILL_EVERY_SECONDS):
            victim = running[turn % WORKERS]
            victim.kill()
            victim.wait()
            running[turn % WORKERS] = start(f"chaos-{turn + WORKERS}")
            turn += 1

    killer = threading.Thread(target=kill_now_and_then, daemon=True)
    killer.start()
    try:
        yield running
    finally:
        stop.set()
        killer.join()
        for process in running:
            process.kill()
            process.wait()


def run(*, users: int, pictures: int, root: Path, folder: Path) -> Figures:
    url = f"sqlite:///{folder}/chaos.db"
    upgrade_to_head(url)
    botapi = BotApiStandIn(TOKEN).start()
    botapi.flaky_stall_seconds = 6.0  # longer than the bot's 5 s wait for an answer
    botapi.flaky_rate = FAULT_RATE
    env = bot_env(botapi, url, engine_workers=0) | {"PYTHONPATH": str(root)}
    people = [User(20_000 + n, first_name=f"Chaos{n}") for n in range(users)]
    started = time.monotonic()
    try:
        with _workers(url, folder):
            first = BotProcess(env, folder).__enter__()
            botapi.flaky = {method: ["5xx", "timeout", "429"] for method in METHODS}
            threads = [threading.Thread(target=_user, args=(botapi, u, pictures)) for u in people]
            for thread in threads:
                thread.start()
            time.sleep(8.0)  # users are mid-conversation: the bot is killed -9, and started again
            first.stop(signal.SIGKILL)
            with BotProcess(env, folder):
                for thread in threads:
                    thread.join()
                botapi.flaky = {}
                time.sleep(5.0)  # a few more notifier rounds: anything sent twice would be by now
    finally:
        botapi.stop()
    seconds = time.monotonic() - started
    delivered_once = lost = duplicated = 0
    for user in people:
        results = [c for c in botapi.calls_to("sendPhoto", user.id) if c.result is not None and _is_result(c)]
        ids = [m.group(1) for c in results if (m := REQUEST_ID.search(json.dumps(c.params["reply_markup"])))]
        distinct = set(ids)
        delivered_once += min(len(distinct), pictures)
        lost += max(0, pictures - len(distinct))
        duplicated += (len(ids) - len(distinct)) + max(0, len(distinct) - pictures)
    apologies = sum(
        1
        for c in botapi.calls_to("sendMessage")
        if c.result is not None and says(text_of(c), "internal_error")
    )
    return Figures(users * pictures, delivered_once, lost, duplicated, apologies, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--pictures", type=int, default=2)
    parser.add_argument("--main", type=Path, help="another checkout's bot to run the same against")
    args = parser.parse_args()
    roots = [("this branch", PROJECT_ROOT)] + ([("--main", args.main)] if args.main else [])
    print(
        f"{args.users} users × {args.pictures} pictures; {FAULT_RATE:.0%} of the calls of every method fail"
    )
    print(
        f"(502, timeout, 429 in turn); a worker killed -9 every {KILL_EVERY_SECONDS:.0f} s;"
        " the bot killed -9 once"
    )
    print(f"{'bot':<14}{'made':>6}{'once':>6}{'lost':>6}{'twice':>7}{'apologies':>11}{'seconds':>9}")
    for name, root in roots:
        with tempfile.TemporaryDirectory() as folder:
            f = run(users=args.users, pictures=args.pictures, root=root, folder=Path(folder))
        print(
            f"{name:<14}{f.made:>6}{f.delivered_once:>6}{f.lost:>6}{f.duplicated:>7}{f.apologies:>11}{f.seconds:>9.0f}"
        )


if __name__ == "__main__":
    main()
