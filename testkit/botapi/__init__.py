"""A stand-in for the Telegram Bot API, served over real HTTP on 127.0.0.1 for tests and benchmarks.

It speaks Telegram's JSON envelopes ({"ok": true, "result": ...} / {"ok": false, "error_code",
"description"}), holds the updates that tests push for getUpdates (long polling included), serves
files for getFile and the file URL, and records every call the bot makes. Where the bot depends on
it, it is as strict as Telegram (testkit.telegram_rules): photos re-encoded in several sizes, length
limits, flood limits with retry_after, edits of unknown messages refused, late button answers
refused, the bot's commands and descriptions checked and kept per language. Tests can make it fail,
stall, lose an answer, or run a hook on a call (kill the bot).

In three parts: the server (HTTP, recording, faults), the API (the methods; those of the bot's
commands and descriptions in .profile), the users (what tests do).
"""

from testkit.botapi.api import BOT_ID, BOT_USER, Shown
from testkit.botapi.server import TOKEN, Call, Hook
from testkit.botapi.user import BotApiStandIn, User

__all__ = ["BOT_ID", "BOT_USER", "TOKEN", "BotApiStandIn", "Call", "Hook", "Shown", "User"]
