"""Telegram failing under a whole conversation, one method at a time, as in
tests/test_faults_messages.py: here the methods that close questions, clear statuses and send files.
"""

from __future__ import annotations

import pytest

from bot.runtime.service import BotService
from testkit.botapi import BotApiStandIn
from tests.faults import check_every_step

pytestmark = pytest.mark.asyncio(loop_scope="module")

# Called once or twice in the conversation: each gets the kinds in another order, so that between
# them every kind is met (the methods called more often meet all three: tests/test_faults_messages.py).
METHODS = {
    "editMessageReplyMarkup": ("429", "5xx", "timeout"),
    "deleteMessage": ("timeout",),
    "sendChatAction": ("429", "5xx"),
    "sendDocument": ("timeout", "429"),
}


@pytest.mark.parametrize("method", METHODS)
async def test_every_step_is_carried_out_once_while_telegram_fails_every_other_call(
    botapi_module: BotApiStandIn, database_module: str, bot_module: BotService, method: str
) -> None:
    number = 10 + list(METHODS).index(method)
    await check_every_step(botapi_module, database_module, bot_module, method, number, METHODS[method])
