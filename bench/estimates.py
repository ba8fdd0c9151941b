"""The time a user is told against the time they wait, and what their status shows meanwhile.

    python -m bench.estimates [--rounds 2] [--side 192]

The real bot (`python -m bot`) against the Bot API stand-in with one real engine worker, on a fresh
database: the first request comes right after the worker's start (only its probe has measured the
device). One user asks, in turn, for a single picture, a Large one and a comparison, `--rounds`
times. For each: the estimate the status message said when the button was pressed, the wait from
the button to the painting, what the former estimate (the median of the last jobs, whatever their
kind) would have said, and the status messages' edits, pictures among them. The standard side is
--side px and Large 1.5 times it (as 384 and 576 on a CPU), so that a run takes minutes.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, func, select

from stylebot.choices import Size
from stylebot.database import make_engine
from stylebot.migrate import upgrade_to_head
from stylebot.models import EngineSpeed, Request, Status
from testkit.botapi import BotApiStandIn, User
from testkit.botapi.server import Call
from testkit.botprocess import BotProcess, bot_env
from testkit.load import is_result
from testkit.pictures import cat_photo, jpeg_bytes, png_bytes, style_texture
from testkit.waiting import wait_until

ANSWER = 600  # seconds any one step may take on a busy machine
SHOWN = re.compile(r"About (\d+) (s|min|h) to wait")
UNIT = {"s": 1, "min": 60, "h": 3600}
EDITS = ("editMessageText", "editMessageCaption", "editMessageMedia")
KINDS = ("single", "Large", "comparison")


def shown_seconds(status: str) -> float | None:
    found = SHOWN.search(status)
    return None if found is None else int(found.group(1)) * UNIT[found.group(2)]


def former_estimate(database: Engine) -> float | None:
    """What the status said before: the median of the last 20 done jobs' seconds, whatever their kind."""
    with database.connect() as conn:
        rows = conn.execute(
            select(Request.started_at, Request.finished_at)
            .where(Request.status == Status.DONE)
            .order_by(Request.finished_at.desc())
            .limit(20)
        ).all()
    seconds = [(f - s).total_seconds() for s, f in rows if s and f]
    return statistics.median(seconds) if seconds else None


def one_request(
    botapi: BotApiStandIn, database: Engine, user: User, kind: str, photo: bytes, style: bytes
) -> dict[str, object]:
    set_size(botapi, user, Size.LARGE if kind == "Large" else Size.STANDARD)
    mark = botapi.mark()
    botapi.send_photo(user, photo)
    wait_until(lambda: _answered(botapi, mark, user, "sendPhoto"), "the photo's answer", ANSWER)
    mark = botapi.mark()
    botapi.send_photo(user, style)
    question = wait_until(
        lambda: _answered(botapi, mark, user, "sendMessage", "strength:"), "the question", ANSWER
    )
    former = former_estimate(database)
    mark = botapi.mark()
    pressed = time.monotonic()
    botapi.press_button(user, question.result, "compare" if kind == "comparison" else "strength:medium")
    status = wait_until(lambda: _answered(botapi, mark, user, "editMessageText"), "the status", ANSWER)
    result_method = "sendMediaGroup" if kind == "comparison" else "sendPhoto"
    result = wait_until(
        lambda: next(
            (
                c
                for c in botapi.calls[mark:]
                if c.method == result_method
                and c.chat_id == user.id
                and c.result
                and (kind == "comparison" or is_result(c))
            ),
            None,
        ),
        "the painting",
        ANSWER,
    )
    during = [c for c in botapi.calls[mark:] if c.chat_id == user.id and c.at < result.at and c.result]
    return {
        "kind": kind,
        "told": shown_seconds(str(status.params.get("text", ""))),
        "former": former,
        "waited": result.at - pressed,
        "edits": sum(c.method in EDITS for c in during),
        "pictures": sum(c.method == "editMessageMedia" for c in during)
        + sum(c.method == "sendPhoto" for c in during),  # the status photo, then its new pictures
    }


def set_size(botapi: BotApiStandIn, user: User, size: Size) -> None:
    """Chooses the size in /settings, as a user does."""
    mark = botapi.mark()
    botapi.send_text(user, "/settings")
    settings = wait_until(
        lambda: _answered(botapi, mark, user, "sendMessage", "set:size:"), "/settings", ANSWER
    )
    mark = botapi.mark()
    botapi.press_button(user, settings.result, f"set:size:{size}")
    wait_until(lambda: _pressed(botapi, mark), "the press answered", ANSWER)


def _pressed(botapi: BotApiStandIn, mark: int) -> bool:
    return any(c.method == "answerCallbackQuery" for c in botapi.calls[mark:])


def _answered(botapi: BotApiStandIn, mark: int, user: User, method: str, markup: str = "") -> Call | None:
    """The first `method` call to the user since `mark` that Telegram carried out (with `markup` in its
    buttons, if given)."""
    return next(
        (
            c
            for c in botapi.calls[mark:]
            if c.method == method
            and c.chat_id == user.id
            and c.result
            and markup in str(c.params.get("reply_markup"))
        ),
        None,
    )


def run(rounds: int, side: int, folder: Path) -> list[dict[str, object]]:
    url = f"sqlite:///{folder}/estimates.db"
    upgrade_to_head(url)
    botapi = BotApiStandIn().start()
    user = User(30_001)
    env = bot_env(
        botapi, url, engine_workers=1, engine_max_side=side, engine_large_side=side * 3 // 2, engine_steps=45
    )
    photo, style = jpeg_bytes(cat_photo(4 * side)), png_bytes(style_texture(side))
    database = make_engine(url)
    rows = []
    try:
        with BotProcess(env, folder):
            wait_until(lambda: botapi.calls_to("setMyCommands"), "the bot's start", timeout=ANSWER)
            mark = botapi.mark()
            botapi.send_text(user, "/start")
            wait_until(lambda: _answered(botapi, mark, user, "sendMessage"), "the greeting", ANSWER)
            wait_until(lambda: _count(database) == len(Size), "the worker's probe", ANSWER)
            for _ in range(rounds):
                for kind in KINDS:
                    rows.append(one_request(botapi, database, user, kind, photo, style))
    finally:
        database.dispose()
        botapi.stop()
    return rows


def _count(database: Engine) -> int:
    with database.connect() as conn:
        return conn.scalar(select(func.count()).select_from(EngineSpeed)) or 0


def _seconds(value: object) -> str:
    return "none" if value is None else f"{float(value):.0f} s"  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--side", type=int, default=192, help="the standard long side in px (Large: 1.5×)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = run(args.rounds, args.side, Path(folder))
    print(f"one real engine worker, standard {args.side} px, Large {args.side * 3 // 2} px, 45 steps")
    print("request      told     former   waited   told/waited  status edits  pictures shown")
    for number, row in enumerate(rows, 1):
        told, waited = row["told"], float(row["waited"])  # type: ignore[arg-type]
        ratio = "-" if told is None else f"{float(told) / waited:.2f}"  # type: ignore[arg-type]
        print(
            f"{number} {row['kind']:<10} {_seconds(told):>7}  {_seconds(row['former']):>7}  "
            f"{_seconds(waited):>7}  {ratio:>11}  {row['edits']:>12}  {row['pictures']:>14}"
        )


if __name__ == "__main__":
    main()
