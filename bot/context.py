"""What a handler gets besides the update: python-telegram-bot's CallbackContext with typed
properties (the bot's services, the user's profile and language), wired in with ContextTypes
(bot.app), as python-telegram-bot's contexttypesbot example shows.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram import User as TelegramUser
from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services
from bot.texts.catalogue import language_for
from stylebot.users import Profile

AnyDict = dict[Any, Any]


class BotContext(CallbackContext[ExtBot[Any], AnyDict, AnyDict, AnyDict]):
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._user: TelegramUser | None = None

    @classmethod
    def from_update(
        cls, update: object, application: Application[Any, BotContext, Any, Any, Any, Any]
    ) -> BotContext:
        context = super().from_update(update, application)
        if isinstance(update, Update):
            context._user = update.effective_user
        return context

    @property
    def services(self) -> Services:
        return Services.of(self.application)

    @property
    def profile(self) -> Profile:
        """The user's preferences as last recorded (bot.access.profiles); read at each use, so a
        handler that changes them sees the change."""
        return self.services.profiles.of(self._user)

    @property
    def language(self) -> str:
        """The language to answer this update in."""
        found = self.profile
        return language_for(found.language, found.telegram_language)


# What python-telegram-bot calls: a handler of an update.
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
