"""The real bot in this test's process, against the Bot API stand-in, and what many tests set up."""

from __future__ import annotations

import asyncio
import contextlib
import re
import string
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session, undefer_group

from bot.app import build_application
from bot.runtime.service import BotService
from bot.texts.catalogue import CATALOGUES
from stylebot.models import PICTURES, Request, utcnow
from stylebot.settings import Settings
from stylebot.wakeups import EVENTS, announcing
from testkit.botapi import TOKEN, BotApiStandIn, Call, User
from testkit.finished import insert_done_request
from testkit.pictures import CAT
from testkit.waiting import What, wait_until_async


@contextlib.asynccontextmanager
async def running_bot(botapi: BotApiStandIn, database_url: str, **settings: Any) -> AsyncIterator[BotService]:
    """The real bot in this process, polling the stand-in; no engine workers unless asked."""
    app = build_application(
        Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=TOKEN,  # type: ignore[arg-type]
            telegram_base_url=botapi.base_url,
            telegram_base_file_url=botapi.base_file_url,
            database_url=database_url,
            **{"engine_workers": 0, "metrics_port": 0, **settings},
        )
    )
    service = BotService(app)
    await service.start()
    try:
        yield service
    finally:
        await service.stop()


# The notifier's slow poll for tests that count its rounds: woken only by work, an idle notifier goes
# round every QUEUE_POLL_SECONDS (5 s), and three rounds would take fifteen.
ROUNDS_POLL_SECONDS = 0.5


async def notifier_rounds(service: BotService, rounds: int = 2, timeout: float = 30) -> None:
    """Returns once the notifier has completed `rounds` more rounds: whatever it was going to send
    by then, it has sent (a positive event to wait for, instead of sleeping)."""
    target = service.notifier.rounds + rounds
    await wait_until_async(lambda: service.notifier.rounds >= target, "the notifier going round", timeout)


async def said(
    botapi: BotApiStandIn,
    action: Callable[[], object],
    method: str = "sendMessage",
    predicate: Callable[[Call], bool] = lambda c: True,
    **options: Any,
) -> Call:
    """Does `action` (as a user), and returns the first `method` call after it that Telegram carried
    out and `predicate` takes (a call refused by the flood limits, and retried, is not it)."""
    mark = botapi.mark()
    action()
    return await botapi.wait_for(
        method, lambda c: c.result is not None and predicate(c), after=mark, **options
    )


async def press(botapi: BotApiStandIn, user: User, message: dict[str, Any], data: str) -> Call:
    """Presses a button; returns the bot's answer to it (answerCallbackQuery)."""
    return await said(botapi, lambda: botapi.press_button(user, message, data), "answerCallbackQuery")


def buttons(call: Call) -> dict[str, str]:
    """The inline keyboard of a sent message: callback data -> label (a Share button, which opens
    inline mode: "inline:" and its query)."""
    markup = call.params.get("reply_markup") or {}
    return {
        b["callback_data"] if "callback_data" in b else f"inline:{b['switch_inline_query']}": b["text"]
        for row in markup.get("inline_keyboard", [])
        for b in row
    }


def asks(key: str, lang: str = "en") -> Callable[[Call], bool]:
    """A predicate: the call's text or caption is the catalogue text `key`."""
    return lambda call: says(text_of(call), key, lang)


async def send_two_pictures(
    botapi: BotApiStandIn, user: User, content: bytes, style: bytes, *, start: bool = True
) -> Call:
    """(/start,) content photo, style photo; returns the message that carries the strength keyboard."""
    if start:
        await said(botapi, lambda: botapi.send_text(user, "/start"), predicate=asks("start"), timeout=60)
    await style_question(botapi, lambda: botapi.send_photo(user, content))
    return await said(botapi, lambda: botapi.send_photo(user, style), predicate=asks("got_style"))


async def style_question(
    botapi: BotApiStandIn, action: Callable[[], object], key: str = "got_content"
) -> Call:
    """Does `action`; returns the style question it brings: on the gallery's picture the first time,
    later a message (or the picture of the user's recent styles) with a button for the gallery."""
    mark = botapi.mark()
    action()

    def asked() -> Call | None:
        calls = botapi.calls[mark:]
        sends = ("sendPhoto", "sendMessage")
        return next((c for c in calls if c.method in sends and c.result and says(text_of(c), key)), None)

    return await wait_until_async(asked, f"the style question ({key})")


async def add_done_request(database_url: str, **values: Any) -> int:
    """A request a worker has finished and the bot has not yet delivered (see insert_done_request).

    Written from a thread: the bot under test shares this event loop, and a write that waits for
    SQLite's lock on the loop would keep the bot from ever releasing it."""
    return await asyncio.to_thread(insert_done_request, database_url, **values)


async def once_listening(
    http: aiohttp.ClientSession, method: str, url: str, what: What, **options: Any
) -> tuple[int, str]:
    """The answer (status, body) to a request to `url`, made again until a server listens there (a
    bot's webhook or metrics server starts listening a moment after it says so)."""

    async def attempt() -> tuple[int, str] | None:
        try:
            async with http.request(method, url, **options) as answer:
                return answer.status, await answer.text()
        except aiohttp.ClientConnectionError:
            return None

    return await wait_until_async(attempt, what, timeout=60)


def says(message: str | None, key: str, lang: str = "en", **values: object) -> bool:
    """Whether `message` holds the catalogue text `key` in `lang`: given `values` filled in, any
    others matched loosely. Tests assert on keys, so a copy edit of a text breaks none of them."""
    template = CATALOGUES[lang][key]
    pattern = ""
    for literal, name, spec, _ in string.Formatter().parse(template):
        pattern += re.escape(literal)
        if name is not None:
            pattern += re.escape(format(values[name], spec or "")) if name in values else ".*?"
    return re.search(pattern, message or "", re.DOTALL) is not None


def text_of(call: Call) -> str:
    """What a sent or edited message says: its text, or a photo's caption."""
    return str(call.params.get("text") or call.params.get("caption") or "")


def requests(database_url: str) -> list[Request]:
    """Every request in the database, oldest first, pictures included."""
    engine = create_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        found = list(session.scalars(select(Request).order_by(Request.id).options(undefer_group(PICTURES))))
    engine.dispose()
    return found


def finish_every_request(database_url: str) -> None:
    """What a worker does at the end of a job (from a thread: the bot shares the test's loop)."""
    engine = create_engine(database_url)
    with announcing(engine, EVENTS) as conn:
        conn.execute(
            update(Request).values(
                status="done",
                result_image=CAT,
                output_width=64,
                output_height=43,
                engine_seconds=4.2,
                finished_at=utcnow(),
            )
        )
    engine.dispose()
