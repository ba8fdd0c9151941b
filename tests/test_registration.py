"""What the screen before /start says: the bot's description, short description and commands,
registered at start in each language through the Bot API stand-in (as strict as Telegram), only what
changed, and never in the way of the bot's start when Telegram refuses them."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from bot.keyboards import COMMANDS
from bot.runtime import registration
from bot.runtime.service import BotService
from bot.texts.catalogue import CATALOGUES, text
from testkit.botapi import BotApiStandIn, Call, User
from tests.harness import running_bot, said, says

METHODS = ("setMyCommands", "setMyDescription", "setMyShortDescription")


async def registered(service: BotService) -> None:
    """Returns once the registration has ended (it ends only when it succeeds or gives up)."""
    assert service.registration is not None
    await asyncio.wait_for(asyncio.shield(service.registration), 60)


def profile_calls(botapi: BotApiStandIn, after: int = 0) -> list[Call]:
    return [c for c in botapi.calls[after:] if c.method.startswith(("setMy", "getMy"))]


@pytest.mark.parametrize(
    ("telegram_language", "shown"),
    [
        (None, "en"),
        ("en", "en"),
        ("de", "en"),
        ("ru", "ru"),
        ("zh-hans", "zh"),
        # Telegram takes two-letter codes only: Traditional readers get the Chinese one, Simplified.
        ("zh-hant", "zh"),
    ],
)
async def test_each_language_sees_what_the_bot_does_before_start(
    botapi: BotApiStandIn, sqlite_url: str, telegram_language: str | None, shown: str
) -> None:
    async with running_bot(botapi, sqlite_url) as service:
        await registered(service)
    seen = botapi.bot_profile.seen_by(telegram_language)
    assert seen.description == text(shown, "bot_description")
    assert seen.short_description == text(shown, "bot_short_description")
    assert seen.commands == [(name, text(shown, f"cmd_{name}")) for name in COMMANDS]


async def test_every_two_letter_language_is_registered_once_and_a_restart_changes_nothing(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(botapi, sqlite_url) as service:
        await registered(service)
    languages = [None] + [lang for lang in CATALOGUES if len(lang) == 2]
    first = sorted((c.method, str(c.params.get("language_code"))) for c in profile_calls(botapi))
    expected = sorted(
        (m, str(lang))
        for m in METHODS + tuple(m.replace("set", "get") for m in METHODS)
        for lang in languages
    )
    assert first == expected
    mark = botapi.mark()
    async with running_bot(botapi, sqlite_url) as service:
        await registered(service)
    again = profile_calls(botapi, mark)
    assert len(again) == 3 * len(languages) and all(c.method.startswith("getMy") for c in again)


async def test_the_bot_starts_and_answers_while_telegram_refuses_the_registration(
    botapi: BotApiStandIn, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram down for these calls at start (every setMyDescription lost), then a flood wait:
    the bot answers all the while, and the registration completes once Telegram is back."""
    monkeypatch.setattr(registration, "FIRST_RETRY_SECONDS", 0.1)
    monkeypatch.setattr(registration, "TIMEOUT_SECONDS", 1.0)  # a lost call gives up soon
    down = threading.Event()
    down.set()
    botapi.hooks.append(lambda call: "drop" if down.is_set() and call.method == "setMyDescription" else "go")
    botapi.faults["setMyShortDescription"] = [(429, "Too Many Requests: retry after 1", {"retry_after": 1})]
    user = User(401)
    async with running_bot(botapi, sqlite_url) as service:
        greeting = await said(botapi, lambda: botapi.send_text(user, "/start"))
        assert says(greeting.params["text"], "start", name="Ada")
        assert service.registration is not None and not service.registration.done()
        assert "" not in botapi.bot_profile.descriptions
        down.clear()  # Telegram is back
        await registered(service)
    seen = botapi.bot_profile.seen_by("en")
    assert seen.description == text("en", "bot_description")
    assert seen.short_description == text("en", "bot_short_description")
    assert "could not register the description and commands" in caplog.text
    assert "flood wait" in caplog.text


async def test_a_text_telegram_refuses_is_logged_as_an_error_and_the_bot_goes_on(
    botapi: BotApiStandIn, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(CATALOGUES["en"], "bot_description", "far too long " * 50)
    async with running_bot(botapi, sqlite_url) as service:
        await registered(service)  # given up: retrying cannot shorten a text
        greeting = await said(botapi, lambda: botapi.send_text(User(402), "/start"))
        assert says(greeting.params["text"], "start", name="Ada")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == registration.__name__]
    assert len(errors) == 1 and "description is too long" in errors[0].getMessage().lower()
