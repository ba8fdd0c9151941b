"""Telegram failing under a whole conversation, one method at a time (here the messages, pictures
and edits; tests/test_faults_files.py and tests/test_faults_buttons.py have the others): every other
call to the method fails, in turn with a 502, a timeout and a 429 (the stand-in's `flaky`), at every
step (photo, style sent and picked from the gallery, ↔ Swap twice, strength, /cancel, the result's
File button, /forget). Each step is carried out once, the conversation ends where it should, and
after /forget no table holds the user's id or what they wrote. One bot for the module; a user per
test."""

from __future__ import annotations

import pytest

from bot.runtime.service import BotService
from testkit.botapi import BotApiStandIn
from tests.faults import check_every_step

pytestmark = pytest.mark.asyncio(loop_scope="module")

METHODS = ["sendMessage", "sendPhoto", "editMessageText"]


@pytest.mark.parametrize("method", METHODS)
async def test_every_step_is_carried_out_once_while_telegram_fails_every_other_call(
    botapi_module: BotApiStandIn, database_module: str, bot_module: BotService, method: str
) -> None:
    await check_every_step(botapi_module, database_module, bot_module, method, METHODS.index(method))
