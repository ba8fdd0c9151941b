"""Many users at the same moment, against the real bot process: every result delivered once, and
the bot stays responsive (bench/load.py prints the figures; tests/test_load.py runs a small one).

The real bot (`python -m bot`, a process of its own) polls the Bot API stand-in over loopback HTTP;
the engine runs in the bot's worker processes with a tiny setting (32 px, 2 steps), so the figures
are about the bot and the queue, not the painting. All users send their content photo at once,
then their style picture, then press a strength. Meanwhile one more user sends /help every 250 ms.
The event loop's lag is measured inside the bot (bot/runtime/loopwatch.py) and read from its log.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from testkit.botapi import TOKEN, BotApiStandIn, Call, User
from testkit.botprocess import BotProcess, bot_env
from testkit.finished import insert_done_request
from testkit.pictures import CAT, WAVES
from testkit.waiting import wait_until

LAG_LINE = re.compile(r"event loop lag: max (?P<max>[\d.]+) ms, p99 (?P<p99>[\d.]+) ms")
PROBE_EVERY = 0.25
MARKER_USER = 999_998


@dataclass
class LoadFigures:
    users: int
    delivered: int
    duplicates: int
    seconds: float
    loop_lag_max_ms: float
    loop_lag_p99_ms: float
    reply_median_ms: float  # while the engine is busy
    reply_p95_ms: float
    reply_max_ms: float
    replies: int
    upload_reply_median_ms: float  # while 50 users send pictures (Telegram's 30 messages/s apply)
    upload_reply_p95_ms: float


@dataclass
class Probe:
    """A user who keeps asking for /help: how fast does the bot answer, in each phase?"""

    phase: str = "uploads"
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"uploads": [], "engine": []})

    def run(self, botapi: BotApiStandIn, stop: threading.Event) -> None:
        prober = User(999_999)
        while not stop.is_set():
            phase = self.phase
            mark = botapi.mark()
            sent = time.monotonic()
            botapi.send_text(prober, "/help")
            reply = _wait(botapi, lambda m=mark: _calls(botapi, "sendMessage", m, {prober.id}))
            self.latencies[phase].append(reply[prober.id].at - sent)
            stop.wait(PROBE_EVERY)


def _calls(
    botapi: BotApiStandIn,
    method: str,
    mark: int,
    chats: set[int],
    predicate: Callable[[Call], bool] = lambda call: True,
) -> dict[int, Call] | None:
    """The first `method` call to each of `chats` after `mark`, once every chat has one."""
    found: dict[int, Call] = {}
    for call in botapi.calls[mark:]:
        if call.method == method and call.result is not None and predicate(call):
            found.setdefault(int(call.params["chat_id"]), call)
    return found if chats <= found.keys() else None


def is_result(call: Call) -> bool:
    """A painting (under it, the button for its file), not the gallery's preview."""
    return "file:" in json.dumps(call.params.get("reply_markup"))


def _wait(
    botapi: BotApiStandIn, check: Callable[[], dict[int, Call] | None], timeout: float = 300
) -> dict[int, Call]:
    return wait_until(check, "the bot answering every user", timeout)


def _drive(botapi: BotApiStandIn, people: list[User], probe: Probe) -> float:
    """The users, on their own thread (not on the bot's event loop, whose lag is measured)."""
    ids = {user.id for user in people}
    started = time.monotonic()
    mark = botapi.mark()
    for user in people:
        botapi.send_photo(user, CAT)
    _wait(botapi, lambda: _calls(botapi, "sendPhoto", mark, ids))  # the gallery, with the question
    mark = botapi.mark()
    for user in people:
        botapi.send_photo(user, WAVES)
    keyboards = _wait(botapi, lambda: _calls(botapi, "sendMessage", mark, ids))
    mark = botapi.mark()
    for user in people:
        botapi.press_button(user, keyboards[user.id].result, "strength:medium")
    _wait(botapi, lambda: _calls(botapi, "editMessageText", mark, ids))
    probe.phase = "engine"  # every job is queued: from now on the engine is busy
    _wait(botapi, lambda: _calls(botapi, "sendPhoto", mark, ids, is_result))
    return time.monotonic() - started


def run_load(
    *,
    users: int,
    workers: int,
    database_url: str,
    workdir: Path,
    worker_niceness: int = 10,
    engine_threads: int | None = None,
) -> LoadFigures:
    """Runs the bot (`python -m bot`, its own process, as in production) against the stand-in;
    its workers as nice and their jobs on as many threads as in production unless told otherwise."""
    botapi = BotApiStandIn(TOKEN).start()
    people = [User(10_000 + i, first_name=f"User{i}") for i in range(users)]
    probe = Probe()
    stop_probe = threading.Event()
    env = bot_env(
        botapi,
        database_url,
        engine_workers=workers,
        engine_max_side=32,
        engine_steps=2,
        engine_worker_niceness=worker_niceness,
        engine_threads=engine_threads or "",  # empty: the CPUs shared out, as in production
    )
    try:
        with BotProcess(env, workdir) as bot:
            wait_until(  # the bot is up
                lambda: botapi.calls_to("setMyCommands"),
                lambda: f"the bot starting:\n{bot.log()[-3000:]}",
                60,
            )
            prober = threading.Thread(target=probe.run, args=(botapi, stop_probe))
            prober.start()
            seconds = _drive(botapi, people, probe)
            _later_rounds_passed(botapi, database_url)
            stop_probe.set()
            prober.join()
            bot.stop()
        found = LAG_LINE.search(bot.log())
        if found is None:
            raise RuntimeError(f"the bot did not report its event loop lag:\n{bot.log()[-3000:]}")
    finally:
        botapi.stop()
    sent = Counter(
        int(c.params["chat_id"])
        for c in botapi.calls_to("sendPhoto")
        if c.result is not None and is_result(c) and int(c.params["chat_id"]) != MARKER_USER
    )
    replies, uploads = sorted(probe.latencies["engine"]), sorted(probe.latencies["uploads"])
    return LoadFigures(
        users=users,
        delivered=len(sent),
        duplicates=sum(count - 1 for count in sent.values()),
        seconds=seconds,
        loop_lag_max_ms=float(found["max"]),
        loop_lag_p99_ms=float(found["p99"]),
        reply_median_ms=_median(replies) * 1000,
        reply_p95_ms=_p95(replies) * 1000,
        reply_max_ms=replies[-1] * 1000 if replies else math.nan,
        replies=len(replies),
        upload_reply_median_ms=_median(uploads) * 1000,
        upload_reply_p95_ms=_p95(uploads) * 1000,
    )


def _median(ordered: list[float]) -> float:
    """NaN when there is no sample: the caller reports how many there were."""
    return statistics.median(ordered) if ordered else math.nan


def _later_rounds_passed(botapi: BotApiStandIn, database_url: str) -> None:
    """Two later results, of another user, delivered one after the other: a round that would send
    anything twice has run by then (a positive event to wait for, not a pause)."""
    for _ in range(2):
        mark = botapi.mark()
        insert_done_request(database_url, user_id=MARKER_USER)
        _wait(botapi, lambda m=mark: _calls(botapi, "sendPhoto", m, {MARKER_USER}, is_result))


def _p95(ordered: list[float]) -> float:
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else math.nan
