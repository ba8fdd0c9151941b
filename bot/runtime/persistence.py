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
        # What the database holds, to skip writes that would change nothing: python-telegram-bot
        # hands over every user who sent an update, whether their data changed or not.
        self._users: dict[int, str] = {}
        self._states: dict[tuple[str, str], int] = {}

    async def get_user_data(self) -> dict[int, UserDict]:
        async with self.sessions() as session:
            rows = await session.execute(select(UserData.user_id, UserData.data))
            found = {user_id: dict(data) for user_id, data in rows}
        self._users = {user_id: _canonical(data) for user_id, data in found.items()}
        return found

    async def update_user_data(self, user_id: int, data: UserDict) -> None:
        written = _canonical(data) if data else None
        if self._users.get(user_id) == written:
            return
        async with self.sessions.begin() as session:
            row = await session.get(UserData, user_id)
            if not data:  # most users, most of the time: nothing half-done to remember
                if row is not None:
                    await session.delete(row)
            elif row is None:
                session.add(UserData(user_id=user_id, data=dict(data)))
            else:
                row.data = dict(data)
        if written is None:
            self._users.pop(user_id, None)
        else:
            self._users[user_id] = written

    async def drop_user_data(self, user_id: int) -> None:
        async with self.sessions.begin() as session:
            await session.execute(delete(UserData).where(UserData.user_id == user_id))
        self._users.pop(user_id, None)

    async def refresh_user_data(self, user_id: int, user_data: UserDict) -> None:
        """Nothing to do: this process is the only writer of its users' data."""

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self.sessions() as session:
            rows = await session.execute(
                select(ConversationState.key, ConversationState.state).where(ConversationState.name == name)
            )
            found = {key: state for key, state in rows}
        self._states |= {(name, key): state for key, state in found.items()}
        return {tuple(json.loads(key)): state for key, state in found.items()}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        encoded = json.dumps(list(key))
        if self._states.get((name, encoded)) == new_state:
            return
        if new_state is not None and not isinstance(new_state, int):
            raise TypeError(f"conversation states must be ints, not {type(new_state).__name__}")
        async with self.sessions.begin() as session:
            row = await session.get(ConversationState, (name, encoded))
            if new_state is None:
                if row is not None:
                    await session.delete(row)
            elif row is None:
                session.add(ConversationState(name=name, key=encoded, state=new_state))
            else:
                row.state = new_state
        if new_state is None:
            self._states.pop((name, encoded), None)
        else:
            self._states[(name, encoded)] = new_state

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


def _canonical(data: UserDict) -> str:
    return json.dumps(data, sort_keys=True)
