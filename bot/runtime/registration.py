"""What a user sees before pressing Start: the bot's description, short description and command
list, registered with Telegram in each language at start-up (setMyDescription,
setMyShortDescription, setMyCommands; English is the default, registered without a language code).

Telegram takes two-letter language codes only, so the Traditional Chinese catalogue cannot have an
entry of its own: its readers are shown the "zh" one (Simplified), the nearest Telegram allows.

Only what differs from what Telegram already holds is set: a restart changes nothing, and Telegram
limits how often these may change. The calls go through a Bot of their own, without the
application's rate limiter, which answers a 429 by holding every call for retry_after seconds: a
flood wait on the description must not hold up anyone's pictures. Failing never stops the bot: it
logs and tries again later (FIRST_RETRY_SECONDS, doubling up to LONGEST_RETRY_SECONDS, or when
Telegram says) until it succeeds or the bot stops, and the next start tries again. A 400 (a text
over Telegram's limits) is a mistake of ours that retrying cannot mend: it is logged as an error.
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Bot, BotCommand
from telegram.error import BadRequest, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.keyboards import bot_commands
from bot.replies import retry_seconds
from bot.texts.catalogue import CATALOGUES, DEFAULT_LANGUAGE, text
from stylebot.settings import Settings

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 30.0
LONGEST_RETRY_SECONDS = 1800.0
TIMEOUT_SECONDS = 10.0


def registered_languages() -> dict[str | None, str]:
    """Telegram's language code -> the catalogue registered under it (None: the default)."""
    codes: dict[str | None, str] = {None: DEFAULT_LANGUAGE}
    codes |= {lang: lang for lang in CATALOGUES if re.fullmatch(r"[a-z]{2}", lang)}
    return codes


def _pairs(commands: tuple[BotCommand, ...] | list[BotCommand]) -> list[tuple[str, str]]:
    return [(command.command, command.description) for command in commands]


async def register(bot: Bot) -> int:
    """Sets each language's commands, description and short description where Telegram holds
    something else; returns how many were set."""
    changed = 0
    for code, lang in registered_languages().items():
        commands = bot_commands(lang)
        if _pairs(await bot.get_my_commands(language_code=code)) != _pairs(commands):
            await bot.set_my_commands(commands, language_code=code)
            changed += 1
        description = text(lang, "bot_description")
        if (await bot.get_my_description(language_code=code)).description != description:
            await bot.set_my_description(description, language_code=code)
            changed += 1
        short = text(lang, "bot_short_description")
        if (await bot.get_my_short_description(language_code=code)).short_description != short:
            await bot.set_my_short_description(short, language_code=code)
            changed += 1
    return changed


def own_bot(settings: Settings) -> Bot:
    """A Bot for these calls alone: no rate limiter, short timeouts."""
    assert settings.telegram_bot_token is not None
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        local_mode=settings.telegram_local_mode,
        request=HTTPXRequest(
            connection_pool_size=1, read_timeout=TIMEOUT_SECONDS, connect_timeout=TIMEOUT_SECONDS
        ),
    )


async def keep_registered(settings: Settings) -> None:
    """register(), tried until it succeeds, the bot stops, or Telegram refuses the texts."""
    delay = FIRST_RETRY_SECONDS
    while True:
        try:
            async with own_bot(settings) as bot:
                changed = await register(bot)
        except BadRequest as exc:
            log.error("Telegram refused the bot's description or commands: %s", exc.message)
            return
        except RetryAfter as exc:
            wait = retry_seconds(exc.retry_after)
            log.warning("registering the description and commands: flood wait, trying in %.0f s", wait)
        except TelegramError as exc:
            wait, delay = delay, min(2 * delay, LONGEST_RETRY_SECONDS)
            log.warning("could not register the description and commands (%s); trying in %.0f s", exc, wait)
        else:
            log.info("description and commands registered (%d changed)", changed)
            return
        await asyncio.sleep(wait)
