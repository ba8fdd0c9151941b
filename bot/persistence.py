"""python-telegram-bot's persistence in our database, so a conversation survives a restart.

Only user data (small JSON: upload ids, an album id, a chosen strength) and conversation states
are kept; the pictures themselves are rows of the uploads table. Chat, bot and callback data are
not used by this bot and are not stored.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from stylebot.models import ConversationState, UserData

# How often python-telegram-bot hands changes over: a crash loses at most this much.
UPDATE_SECONDS = 1.0

UserDict = dict[str, Any]


class DatabasePersistence(BasePersistence[UserDict, dict[Any, Any], dict[Any, Any]]):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=UPDATE_SECONDS,
        )
        self.sessions = sessions

    async def get_user_data(self) -> dict[int, UserDict]:
        async with self.sessions() as session:
            rows = await session.execute(select(UserData.user_id, UserData.data))
            return {user_id: dict(data) for user_id, data in rows}

    async def update_user_data(self, user_id: int, data: UserDict) -> None:
        async with self.sessions.begin() as session:
            row = await session.get(UserData, user_id)
            if not data:  # most users, most of the time: nothing half-done to remember
                if row is not None:
                    await session.delete(row)
                return
            if row is None:
                session.add(UserData(user_id=user_id, data=dict(data)))
            else:
                row.data = dict(data)

    async def drop_user_data(self, user_id: int) -> None:
        async with self.sessions.begin() as session:
            await session.execute(delete(UserData).where(UserData.user_id == user_id))

    async def refresh_user_data(self, user_id: int, user_data: UserDict) -> None:
        """Nothing to do: this process is the only writer of its users' data."""

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self.sessions() as session:
            rows = await session.execute(
                select(ConversationState.key, ConversationState.state).where(ConversationState.name == name)
            )
            return {tuple(json.loads(key)): state for key, state in rows}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        encoded = json.dumps(list(key))
        async with self.sessions.begin() as session:
            row = await session.get(ConversationState, (name, encoded))
            if new_state is None:
                if row is not None:
                    await session.delete(row)
            elif not isinstance(new_state, int):
                raise TypeError(f"conversation states must be ints, not {type(new_state).__name__}")
            elif row is None:
                session.add(ConversationState(name=name, key=encoded, state=new_state))
            else:
                row.state = new_state

    async def flush(self) -> None:
        """Nothing buffered: every update is written when python-telegram-bot hands it over."""

    # Not stored (see PersistenceInput above); python-telegram-bot still requires the methods.
    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None
