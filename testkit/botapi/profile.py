"""The Bot API methods of what a user sees before pressing Start: the bot's commands, description and
short description in each language (setMyCommands, setMyDescription, setMyShortDescription and
their get...), kept with Telegram's rules: two-letter language codes (or none: the default), command
names of 1-32 lowercase letters, digits and underscores, at most 100 commands, command descriptions
of 1-256 characters, a description of at most 512 and a short description of at most 120
(counted as Telegram counts, in UTF-16 code units). Telegram's wording of some refusals is not
documented; the bot depends on their being 400s, not on their words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from testkit.botapi.server import TOKEN, Server

COMMANDS_LIMIT = 100
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
COMMAND_DESCRIPTION_LIMIT = 256
DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120
LANGUAGE_CODE = re.compile(r"^(?:[a-z]{2})?$")


def telegram_length(text: str) -> int:
    """Characters as Telegram counts them: UTF-16 code units (an emoji may be two)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Seen:
    """What a user is shown before pressing Start."""

    description: str
    short_description: str
    commands: list[tuple[str, str]]  # (command, description)


@dataclass
class BotProfile:
    """What the bot registered, by language code ("" is the default); commands by scope too."""

    commands: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    short_descriptions: dict[str, str] = field(default_factory=dict)

    def seen_by(self, language_code: str | None) -> Seen:
        """What a user whose Telegram language is `language_code` ("zh-hant") sees: what was set for
        its two-letter language, else the default."""
        lang = (language_code or "")[:2].lower()

        def pick(table: dict[str, Any], default: Any) -> Any:
            return table[lang] if table.get(lang) else table.get("", default)

        commands = {code: listed for (scope, code), listed in self.commands.items() if scope == "default"}
        return Seen(pick(self.descriptions, ""), pick(self.short_descriptions, ""), pick(commands, []))


def _bad(description: str) -> web.Response:
    return Server._error(400, f"Bad Request: {description}")


def _language(params: dict[str, Any]) -> str | web.Response:
    code = str(params.get("language_code") or "")
    return code if LANGUAGE_CODE.match(code) else _bad("invalid language code specified")


def _scope(params: dict[str, Any]) -> str:
    scope = params.get("scope") or {"type": "default"}  # a JSON field (testkit.botapi.server)
    return str(scope.get("type", "default"))


def _commands(params: dict[str, Any]) -> list[tuple[str, str]] | web.Response:
    listed = params.get("commands")  # a JSON field (testkit.botapi.server)
    if not isinstance(listed, list):
        return _bad("can't parse commands JSON object")
    if len(listed) > COMMANDS_LIMIT:
        return _bad("BOT_COMMANDS_TOO_MUCH")
    commands = []
    for command in listed:
        name, description = str(command.get("command", "")), str(command.get("description", ""))
        if not COMMAND_NAME.match(name):
            return _bad("BOT_COMMAND_INVALID")
        if not 1 <= telegram_length(description) <= COMMAND_DESCRIPTION_LIMIT:
            return _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        commands.append((name, description))
    return commands


class ProfileApi(Server):
    """The profile's methods, for the stand-in's API (testkit.botapi.api) to build on."""

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__(token)
        self.bot_profile = BotProfile()

    async def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        code, commands = _language(params), _commands(params)
        if isinstance(code, web.Response):
            return code
        if isinstance(commands, web.Response):
            return commands
        self.bot_profile.commands[(_scope(params), code)] = commands
        return True

    async def _api_getMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        code = _language(params)
        if isinstance(code, web.Response):
            return code
        listed = self.bot_profile.commands.get((_scope(params), code), [])
        return [{"command": name, "description": description} for name, description in listed]

    async def _api_setMyDescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return _set_text(params, "description", DESCRIPTION_LIMIT, self.bot_profile.descriptions)

    async def _api_getMyDescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        code = _language(params)
        if isinstance(code, web.Response):
            return code
        return {"description": self.bot_profile.descriptions.get(code, "")}

    async def _api_setMyShortDescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        table = self.bot_profile.short_descriptions
        return _set_text(params, "short_description", SHORT_DESCRIPTION_LIMIT, table)

    async def _api_getMyShortDescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        code = _language(params)
        if isinstance(code, web.Response):
            return code
        return {"short_description": self.bot_profile.short_descriptions.get(code, "")}


def _set_text(params: dict[str, Any], name: str, limit: int, table: dict[str, str]) -> Any:
    """An empty text removes the language's own, as in Telegram."""
    code = _language(params)
    if isinstance(code, web.Response):
        return code
    value = str(params.get(name) or "")
    if telegram_length(value) > limit:
        return _bad(f"{name.replace('_', ' ')} is too long")
    if value:
        table[code] = value
    else:
        table.pop(code, None)
    return True
