"""Messages and edits a user gets for one painting, counted through the Bot API stand-in with the
real bot: a new user's first painting (their own style), then the same user's next one (a gallery
style), from the photo sent to the painting delivered.

    python -m bench.messages                      # this checkout
    python -m bench.messages --baseline /work/main  # and another checkout, side by side

Each checkout is measured by a child process running this file with PYTHONPATH at that checkout (its
bot, its stand-in, its migrations); this file uses only what both have.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

SENDS = ("sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup")
EDITS = ("editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia")


async def _painting(
    botapi: Any, user: Any, database_url: str, *, style: bytes | None, start: bool
) -> dict[str, int]:
    """One painting: (/start,) the photo, the style (sent, or the first gallery style), Medium, the
    worker's result; returns the calls made to the user's chat by kind."""
    from testkit.pictures import CAT
    from testkit.waiting import wait_until_async
    from tests.harness import buttons, finish_every_request

    def later(mark: int, test: Any) -> Any:
        return lambda: next((c for c in botapi.calls[mark:] if c.result is not None and test(c)), None)

    if start:
        mark = botapi.mark()
        botapi.send_text(user, "/start")
        await wait_until_async(later(mark, lambda c: c.method == "sendMessage"), "the greeting")
    mark = botapi.mark()
    botapi.send_photo(user, CAT)
    question = await wait_until_async(later(mark, lambda c: "style:own" in buttons(c)), "the style question")
    if style is not None:
        botapi.send_photo(user, style)
    else:
        key = next(data for data in buttons(question) if data.startswith("style:g:"))
        botapi.press_button(user, question.result, key)
    strength = await wait_until_async(
        later(mark, lambda c: "strength:medium" in buttons(c)), "the strength question"
    )
    botapi.press_button(user, strength.result, "strength:medium")
    await wait_until_async(
        later(mark, lambda c: "cancel:" in json.dumps(c.params.get("reply_markup"))), "status"
    )
    await asyncio.to_thread(finish_every_request, database_url)
    await wait_until_async(
        later(mark, lambda c: c.method == "sendPhoto" and "file:" in json.dumps(buttons(c))), "the painting"
    )
    await wait_until_async(later(mark, lambda c: c.method == "deleteMessage"), "the status gone")
    counted = Counter(c.method for c in botapi.calls[mark:] if c.result is not None and c.chat_id == user.id)
    return {
        "messages": sum(counted[m] for m in SENDS),
        "photos": counted["sendPhoto"] + counted["sendMediaGroup"],
        "edits": sum(counted[m] for m in EDITS),
        "deletions": counted["deleteMessage"],
    }


async def measure() -> dict[str, dict[str, int]]:
    from stylebot.migrate import upgrade_to_head
    from testkit.botapi import TOKEN, BotApiStandIn, User
    from testkit.pictures import WAVES
    from tests.harness import running_bot

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'stylebot.db'}"
        upgrade_to_head(url)
        botapi = BotApiStandIn(TOKEN).start()
        botapi.flood.enabled = False  # counts, not timings
        try:
            async with running_bot(botapi, url):
                user = User(5)
                first = await _painting(botapi, user, url, style=WAVES, start=True)
                returning = await _painting(botapi, user, url, style=None, start=False)
        finally:
            botapi.stop()
    return {"first painting (own style)": first, "returning user (gallery style)": returning}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to measure first")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(measure())))
        return
    here = Path(__file__).resolve().parents[1]
    checkouts = ([args.baseline.resolve()] if args.baseline else []) + [here]
    figures = {}
    for checkout in checkouts:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--measure"],
            cwd=checkout,
            env={**os.environ, "PYTHONPATH": str(checkout)},
            capture_output=True,
            text=True,
            check=True,
        )
        figures[checkout] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{'flow':34} {'checkout':24} {'messages':>8} {'photos':>7} {'edits':>6} {'deleted':>8}")
    for flow in next(iter(figures.values())):
        for checkout, measured in figures.items():
            row = measured[flow]
            print(
                f"{flow:34} {str(checkout)[-24:]:24} {row['messages']:8} {row['photos']:7} "
                f"{row['edits']:6} {row['deletions']:8}"
            )


if __name__ == "__main__":
    main()
