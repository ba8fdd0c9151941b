"""A picture in the making: which step of the conversation the user is at, and what they sent.

The draft is a row of the drafts table, cached in memory. Saving it marks the update being handled
as done in the same transaction (stylebot.drafts), so a handler saves it last, after it has said
what it had to say: a crash before then replays the update from the draft before it.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.handling import handled_update_id
from stylebot import drafts, uploads
from stylebot.choices import Strength


class Step(enum.StrEnum):
    IDLE = "idle"  # nothing in the making
    CONTENT = "content"  # waiting for the photo
    STYLE = "style"  # waiting for the style picture (or a pick from the gallery)
    STRENGTH = "strength"  # both pictures are here: waiting for the strength


@dataclass(frozen=True)
class Draft:
    step: Step = Step.IDLE
    content: int | None = None  # upload ids
    style: int | None = None
    caption_strength: Strength | None = None  # named in a caption: the question is skipped
    album: str | None = None  # media group whose first picture is the content
    album_refused: str | None = None  # ... whose first picture was refused: the next one is the content
    album_done: str | None = None  # ... whose two pictures are in: more of it are extras
    album_noted: str | None = None  # ... whose extras the user was told about
    question: int | None = None  # the message whose buttons answer this step
    pending: int | None = None  # a picture sent at the strength question: a new photo, or a new style?
    status: int | None = None  # the question that became the status of the last request queued

    def changed(self, **values: Any) -> Draft:
        return replace(self, **values)

    def uploads(self) -> set[int]:
        return {u for u in (self.content, self.style, self.pending) if u is not None}

    def to_json(self) -> dict[str, Any] | None:
        """None when there is nothing worth keeping."""
        data = {name: value for name, value in asdict(self).items() if value is not None}
        return (
            None
            if data == {"step": Step.IDLE}
            else {k: str(v) if k == "step" else v for k, v in data.items()}
        )

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Draft:
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        values = {name: value for name, value in data.items() if name in known}
        values["step"] = Step(values.get("step", Step.IDLE))
        values["caption_strength"] = Strength.parse(values.get("caption_strength"))
        return cls(**values)


class Drafts:
    """Every user's draft, read from the database once and written through."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._known: dict[int, Draft] = {}

    def peek(self, user_id: int) -> Draft | None:
        """The draft if this process knows it, without asking the database (None: ask with get)."""
        return self._known.get(user_id)

    async def get(self, user_id: int) -> Draft:
        if user_id not in self._known:
            async with self._sessions() as session:
                self._known[user_id] = Draft.from_json(
                    await drafts.load_draft(session=session, user_id=user_id)
                )
        return self._known[user_id]

    async def put(self, user_id: int, draft: Draft, *, drop_others: bool = False) -> None:
        """Saves the draft, and marks the update being handled done. With `drop_others`, the user's
        uploads that the draft no longer holds are deleted (a conversation left or started over)."""
        async with self._sessions.begin() as session:
            await drafts.save_draft(
                session=session, user_id=user_id, data=draft.to_json(), update_id=handled_update_id()
            )
            if drop_others:
                await uploads.drop_uploads(session=session, user_id=user_id, keep=draft.uploads())
        self._known[user_id] = draft

    def forget(self, user_id: int) -> None:
        """The user's rows are gone (/forget): read again next time."""
        self._known.pop(user_id, None)
