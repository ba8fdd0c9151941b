"""From the strength button to the painting in the chat, with a tiny engine (32 px, 2 steps): the
time around the engine, woken (stylebot.wakeups) and, side by side in the same run, polling only.

    python -m bench.latency [--pictures 8] [--users 10] [--bursts 3] [--poll 0.5]
                            [--postgres URL] [--no-postgres] [--threads N] [--niceness 10]

For each database (SQLite with the bot's own worker; PostgreSQL, likewise) and each mode (wake-ups
on; QUEUE_WAKEUPS=false with QUEUE_POLL_SECONDS=--poll), the real bot process against the Bot API
stand-in: one user painting --pictures pictures one after another, then --users users pressing at
once, --bursts times (two engine workers; ENGINE_THREADS --threads, none: shared out;
ENGINE_WORKER_NICENESS --niceness, production's 10). Each result is split into its parts from the
request's row and the stand-in's clock: button → queued (the row's created_at), queued → claimed
(started_at), claimed → engine done (finished_at), done → sendPhoto started (its request reaching
the stand-in), upload (until its body was read).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, select, text

from stylebot.migrate import upgrade_to_head
from stylebot.models import Request
from testkit.botapi import TOKEN, BotApiStandIn, Call, User
from testkit.botprocess import BotProcess, bot_env
from testkit.load import is_result
from testkit.pictures import CAT, WAVES
from testkit.waiting import wait_until

PARTS = ("button→queued", "queued→claimed", "claimed→done", "done→send", "upload")


@dataclass(frozen=True)
class Sample:
    total: float
    parts: tuple[float, ...]


def _first(botapi: BotApiStandIn, method: str, mark: int, chat: int, result: bool = False) -> Call | None:
    for call in botapi.calls[mark:]:
        wanted = call.method == method and call.chat_id == chat and call.result is not None
        if wanted and (not result or is_result(call)):
            return call
    return None


def _await(botapi: BotApiStandIn, method: str, mark: int, chat: int, result: bool = False) -> Call:
    """The first such call, once the bot made it (a minute or two at most)."""

    def found() -> Call | None:
        return _first(botapi, method, mark, chat, result)

    call = wait_until(found, f"{method} to {chat}", 120)
    assert call is not None
    return call


def _ready(botapi: BotApiStandIn, user: User) -> dict[str, object]:
    """Sends the user's two pictures; the message with the strength buttons."""
    mark = botapi.mark()
    botapi.send_photo(user, CAT)
    _await(botapi, "sendPhoto", mark, user.id)  # the gallery
    mark = botapi.mark()
    botapi.send_photo(user, WAVES)
    question = _await(botapi, "sendMessage", mark, user.id)
    return dict(question.result)


def _samples(
    botapi: BotApiStandIn, url: str, presses: list[tuple[User, float, int]], wall_offset: float
) -> list[Sample]:
    """The samples of results delivered for (user, press time, mark), from the rows and the stand-in."""
    engine = create_engine(url)
    found = []
    for user, pressed, mark in presses:
        photo = _await(botapi, "sendPhoto", mark, user.id, result=True)
        with engine.connect() as conn:
            row = conn.execute(
                select(Request.created_at, Request.started_at, Request.finished_at)
                .where(Request.user_id == user.id)
                .order_by(Request.id.desc())
                .limit(1)
            ).one()
        queued, claimed, done = (t.timestamp() for t in row)
        began, arrived = photo.began + wall_offset, photo.at + wall_offset
        pressed_wall = pressed + wall_offset
        parts = (queued - pressed_wall, claimed - queued, done - claimed, began - done, arrived - began)
        found.append(Sample(arrived - pressed_wall, parts))
    engine.dispose()
    return found


def _press(botapi: BotApiStandIn, user: User, question: dict[str, object]) -> tuple[User, float, int]:
    mark = botapi.mark()
    pressed = time.monotonic()
    botapi.press_button(user, question, "strength:medium")
    return user, pressed, mark


def run(
    url: str,
    *,
    wake: bool,
    poll: float,
    pictures: int,
    users: int,
    bursts: int = 1,
    threads: int | None = None,
    niceness: int = 10,
) -> dict[str, list[Sample]]:
    """One bot process: a warm-up, one user × `pictures`, then `users` at once, `bursts` times."""
    botapi = BotApiStandIn(TOKEN).start()
    botapi.flood.enabled = False  # the time measured is the queue's, not Telegram's limits
    wall_offset = time.time() - time.monotonic()
    env = bot_env(
        botapi,
        url,
        engine_workers=2,
        engine_max_side=32,
        engine_steps=2,
        queue_wakeups=str(wake).lower(),
        queue_poll_seconds=poll if not wake else 5.0,
        max_queued_per_user=10,
        log_level="WARNING",
        engine_threads=threads or "",  # empty: the CPUs shared out between the workers, as in production
        engine_worker_niceness=niceness,  # production's (bot_env's 0 is the tests')
    )
    results: dict[str, list[Sample]] = {}
    try:
        with tempfile.TemporaryDirectory() as folder, BotProcess(env, Path(folder)) as bot:
            wait_until(lambda: botapi.calls_to("setMyCommands"), lambda: bot.log()[-3000:], 120)
            warm = User(50_000, first_name="Warm")
            _samples(botapi, url, [_press(botapi, warm, _ready(botapi, warm))], wall_offset)
            one = User(50_001, first_name="One")
            results["one user"] = [
                _samples(botapi, url, [_press(botapi, one, _ready(botapi, one))], wall_offset)[0]
                for _ in range(pictures)
            ]
            together: list[Sample] = []
            for burst in range(bursts):  # one burst is ten samples of one moment: a few, pooled
                people = [User(51_000 + 100 * burst + i, first_name=f"U{i}") for i in range(users)]
                questions = [_ready(botapi, user) for user in people]
                presses = [_press(botapi, user, q) for user, q in zip(people, questions, strict=True)]
                together += _samples(botapi, url, presses, wall_offset)
            results[f"{users} users"] = together
    finally:
        botapi.stop()
    return results


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.95 * (len(ordered) - 1))]


@contextmanager
def _postgres(admin_url: str) -> Iterator[str]:
    name = f"stylebot_latency_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade_to_head(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/latency.db"
        upgrade_to_head(url)
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pictures", type=int, default=8)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--bursts", type=int, default=3, help="times the users press at once")
    parser.add_argument("--poll", type=float, default=0.5, help="QUEUE_POLL_SECONDS when polling only")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--niceness", type=int, default=10, help="ENGINE_WORKER_NICENESS")
    parser.add_argument(
        "--threads", type=int, help="ENGINE_THREADS (torch threads per job); default: shared out"
    )
    args = parser.parse_args()
    databases = [("sqlite", _sqlite)] + (
        [] if args.no_postgres else [("postgresql", lambda: _postgres(args.postgres))]
    )
    threads = args.threads or "shared out"
    print(
        "button → painting, tiny engine (32 px, 2 steps), the bot's own 2 engine workers, "
        f"torch threads per job: {threads}, niceness {args.niceness}; seconds"
    )
    header = f"{'database':<11} {'mode':<15} {'who':<9} {'n':>3} {'median':>7} {'p95':>6}  "
    print(header + "  ".join(f"{p:>14}" for p in PARTS) + "   (parts: medians)")
    for name, database in databases:
        for wake in (True, False):
            with database() as url:
                found = run(
                    url,
                    wake=wake,
                    poll=args.poll,
                    pictures=args.pictures,
                    users=args.users,
                    bursts=args.bursts,
                    threads=args.threads,
                    niceness=args.niceness,
                )
            mode = "woken" if wake else f"polling {args.poll:g} s"
            for who, samples in found.items():
                totals = [s.total for s in samples]
                parts = [statistics.median(s.parts[i] for s in samples) for i in range(len(PARTS))]
                print(
                    f"{name:<11} {mode:<15} {who:<9} {len(samples):>3} {statistics.median(totals):>7.3f} "
                    f"{_p95(totals):>6.3f}  " + "  ".join(f"{p:>14.3f}" for p in parts),
                    flush=True,
                )


if __name__ == "__main__":
    main()
