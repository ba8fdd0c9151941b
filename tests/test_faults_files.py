"""Telegram failing under a whole conversation, one method at a time, as in
tests/test_faults_messages.py: here the button answers, getFile and the file download.
"""

from __future__ import annotations

import pytest

from bot.runtime.service import BotService
from testkit.botapi import BotApiStandIn
from tests.faults import check_every_step

pytestmark = pytest.mark.asyncio(loop_scope="module")

METHODS = ["answerCallbackQuery", "getFile", "download"]


@pytest.mark.parametrize("method", METHODS)
async def test_every_step_is_carried_out_once_while_telegram_fails_every_other_call(
    botapi_module: BotApiStandIn, database_module: str, bot_module: BotService, method: str
) -> None:
    await check_every_step(botapi_module, database_module, bot_module, method, 20 + METHODS.index(method))
