"""One slow chat must not hold back everyone else: six users' time from the strength button to
their picture, with and without two other users whose uploads stall.

    python -m bench.stalled [--stall 20] [--runs 3]

The real bot (`python -m bot`) against the Bot API stand-in, two engine workers at a tiny setting
(32 px, 2 steps). The two stalled users press first; each of their uploads takes --stall seconds
(a bad connection). Medians over the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, func, select

from stylebot.database import make_engine
from stylebot.migrate import upgrade_to_head
from stylebot.models import Worker
from testkit.botapi import BotApiStandIn, User
from testkit.botprocess import BotProcess, bot_env
from testkit.load import is_result
from testkit.pictures import CAT, WAVES
from testkit.waiting import wait_until

OTHERS = 6
WORKERS = 2
ANSWER = 300  # seconds the bot may take for any one answer on a busy machine


def database_count(database: Engine, table: type[Worker]) -> int:
    with database.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table)) or 0


def one_run(stall: float, stalled: int, folder: Path) -> list[float]:
    """The six others' seconds from the button to their picture."""
    url = f"sqlite:///{folder}/stalled.db"
    upgrade_to_head(url)
    botapi = BotApiStandIn().start()
    slow = [User(20_000 + n) for n in range(stalled)]
    others = [User(21_000 + n) for n in range(OTHERS)]
    for user in slow:
        botapi.slow_chats[user.id] = stall
    env = bot_env(botapi, url, engine_workers=WORKERS, engine_max_side=32, engine_steps=2)
    try:
        with BotProcess(env, folder):
            wait_until(lambda: botapi.calls_to("setMyCommands"), "the bot's start", timeout=ANSWER)
            questions = {}
            for user in slow + others:
                botapi.send_photo(user, CAT)
                wait_until(
                    lambda u=user: [c for c in botapi.calls_to("sendPhoto", u.id) if c.result is not None],
                    "the photo's answer",
                    timeout=ANSWER,
                )
                mark = botapi.mark()
                botapi.send_photo(user, WAVES)
                wait_until(
                    lambda m=mark, u=user: [
                        c
                        for c in botapi.calls[m:]
                        if c.method == "sendMessage" and c.chat_id == u.id and c.result
                    ],
                    "the strength question",
                    timeout=ANSWER,
                )
                questions[user.id] = next(
                    c for c in botapi.calls[mark:] if c.method == "sendMessage" and c.chat_id == user.id
                )
            # Both engine workers up with their model (they register when ready): otherwise the run
            # with fewer users, set up sooner, would time the workers' start-up instead of delivery.
            database = make_engine(url)
            wait_until(lambda: database_count(database, Worker) >= WORKERS, "the workers", timeout=120)
            database.dispose()
            pressed = {}
            for user in slow + others:  # the stalled users first: their results are first in line
                pressed[user.id] = time.monotonic()
                botapi.press_button(user, questions[user.id].result, "strength:medium")
            seconds = []
            for user in others:
                wait_until(
                    lambda u=user: [
                        c for c in botapi.calls_to("sendPhoto", u.id) if c.result and is_result(c)
                    ],
                    "a result",
                    timeout=ANSWER,
                )
                photo = next(c for c in botapi.calls_to("sendPhoto", user.id) if c.result and is_result(c))
                seconds.append(photo.at - pressed[user.id])
            return seconds
    finally:
        # A stalled upload may still be in flight at the stand-in; the bot itself has stopped.
        with contextlib.suppress(TimeoutError):
            botapi.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stall", type=float, default=20.0, help="seconds each stalled upload takes")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{OTHERS} users, 2 engine workers (32 px, 2 steps); median of {args.runs} runs, interleaved")
    medians: dict[int, list[float]] = {0: [], 2: []}
    for _ in range(args.runs):
        for stalled in medians:  # side by side: a busy moment of the machine hits both alike
            with tempfile.TemporaryDirectory() as folder:
                medians[stalled].append(statistics.median(one_run(args.stall, stalled, Path(folder))))
    for stalled, found in medians.items():
        print(
            f"{stalled} stalled chats ({args.stall:.0f} s an upload): the others' median, button to picture "
            f"{statistics.median(found):.1f} s (runs: {[round(m, 1) for m in found]})"
        )


if __name__ == "__main__":
    main()
