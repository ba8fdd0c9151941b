"""A button press, taken in one place: the callback data parsed (bot.keyboards), a button whose data
no longer parses answered as expired, and the press answered (unless the handler answers it itself,
with words of its own).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import CallbackQuery, Update

from bot.context import BotContext, Callback
from bot.texts.catalogue import text

T = TypeVar("T")


@dataclass(frozen=True)
class Press(Generic[T]):
    query: CallbackQuery
    data: T  # the callback data, parsed
    user_id: int
    chat_id: int
    message_id: int | None  # the message under which the button was (None: too old for Telegram)


PressHandler = Callable[[Update, BotContext, Press[T]], Coroutine[Any, Any, None]]


def button(
    parse: Callable[[str | None], T | None], *, answer: bool = True
) -> Callable[[PressHandler[T]], Callback]:
    """Makes `handler(update, context, press)` a handler of button presses whose data `parse` reads;
    with `answer`, the press is answered before the handler runs."""

    def decorate(handler: PressHandler[T]) -> Callback:
        @functools.wraps(handler)
        async def callback(update: Update, context: BotContext) -> None:
            query, user, chat = update.callback_query, update.effective_user, update.effective_chat
            assert query is not None and user is not None and chat is not None
            data = parse(query.data)
            if data is None:
                await query.answer(text(context.language, "expired_button"))
                return
            if answer:
                await query.answer()
            message_id = query.message.message_id if query.message is not None else None
            await handler(update, context, Press(query, data, user.id, chat.id, message_id))

        return callback

    return decorate
