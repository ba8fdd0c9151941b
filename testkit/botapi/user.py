"""What tests do as Telegram users (send text, photos, albums, files, press buttons, add the bot to a
group), on top of the stand-in's API and server."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from testkit.botapi.api import BOT_USER, BotApi


@dataclass
class User:
    id: int
    first_name: str = "Ada"
    language_code: str = "en"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }


class BotApiStandIn(BotApi):
    """The Bot API stand-in: start() it, point the bot at base_url, act as users, check the calls."""

    def _message(self, user: User, **content: Any) -> dict[str, Any]:
        with self._lock:
            message_id = next(self._message_ids)
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.as_dict(),
            **content,
        }

    def text_message(self, user: User, text: str) -> dict[str, Any]:
        """A text message from `user`, with the entity Telegram adds to a leading /command."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._message(user, **content)

    def send_text(self, user: User, text: str) -> int:
        return self.push_update({"message": self.text_message(user, text)})

    def send_photo(
        self,
        user: User,
        data: bytes,
        *,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> int:
        extra: dict[str, Any] = {"caption": caption} if caption else {}
        if media_group_id:
            extra["media_group_id"] = media_group_id
        return self.push_update({"message": self._message(user, photo=self.photo(data), **extra)})

    def send_album(self, user: User, pictures: list[bytes], *, media_group_id: str) -> list[int]:
        """Several photos sent at once: Telegram hands an album's messages over together."""
        return self.push_updates(
            [
                {"message": self._message(user, photo=self.photo(data), media_group_id=media_group_id)}
                for data in pictures
            ]
        )

    def send_document(self, user: User, data: bytes, *, mime_type: str, file_name: str) -> int:
        file_id = self.add_file(data, file_name.rsplit(".", 1)[-1])
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        return self.push_update({"message": self._message(user, document=document)})

    def send_sticker(self, user: User) -> int:
        sticker = {
            "file_id": "STICKER",
            "file_unique_id": "uSTICKER",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self.push_update({"message": self._message(user, sticker=sticker)})

    def send_video(self, user: User) -> int:
        video = {"file_id": "VIDEO", "file_unique_id": "uVIDEO", "width": 64, "height": 64, "duration": 3}
        return self.push_update({"message": self._message(user, video=video)})

    def send_voice(self, user: User) -> int:
        voice = {"file_id": "VOICE", "file_unique_id": "uVOICE", "duration": 2, "mime_type": "audio/ogg"}
        return self.push_update({"message": self._message(user, voice=voice)})

    def group_chat(self, chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "type": "group", "title": "Friends"}

    def send_group_text(self, user: User, chat_id: int, text: str) -> int:
        message = self.text_message(user, text) | {"chat": self.group_chat(chat_id)}
        return self.push_update({"message": message})

    def send_group_photo(self, user: User, chat_id: int, data: bytes) -> int:
        message = self._message(user, photo=self.photo(data)) | {"chat": self.group_chat(chat_id)}
        return self.push_update({"message": message})

    def add_bot_to_group(self, user: User, chat_id: int) -> int:
        change = {
            "chat": self.group_chat(chat_id),
            "from": user.as_dict(),
            "date": int(time.time()),
            "old_chat_member": {"user": BOT_USER, "status": "left"},
            "new_chat_member": {"user": BOT_USER, "status": "member"},
        }
        return self.push_update({"my_chat_member": change})

    def press_button(self, user: User, message: dict[str, Any], data: str) -> int:
        """Presses a button of `message`, which must be in the presser's own private chat (a stranger
        can only forge the data: put the message in their chat, `in_chat_of`)."""
        assert message["chat"]["id"] == user.id, "a button is pressed in the presser's own chat"
        query_id = f"cq{time.monotonic_ns()}"
        self.queries.pressed(query_id)
        query = {
            "id": query_id,
            "from": user.as_dict(),
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
        return self.push_update({"callback_query": query})

    def delete_by_user(self, user: User, message: dict[str, Any]) -> None:
        """The user deletes a message of their private chat (for both sides): the bot is not told."""
        key = (user.id, int(message["message_id"]))
        assert self._shown.pop(key, None) is not None, "a message the chat shows"
        self._deleted.add(key)

    def inline_query(self, user: User, query: str = "") -> str:
        """Types `@bot query` in some chat; returns the query's id (its answer: inline_answers)."""
        query_id = f"iq{time.monotonic_ns()}"
        self._inline_queries[query_id] = (user.id, time.monotonic())
        self.push_update(
            {"inline_query": {"id": query_id, "from": user.as_dict(), "query": query, "offset": ""}}
        )
        return query_id

    def react(self, user: User, message: dict[str, Any], emoji: str | None, old: str | None = None) -> int:
        """Puts `emoji` on a message of the user's chat (None: takes the reaction back). Telegram
        sends it only to a bot that asked for message_reaction updates."""
        assert message["chat"]["id"] == user.id, "a reaction in the user's own chat"

        def as_list(e: str | None) -> list[dict[str, str]]:
            return [{"type": "emoji", "emoji": e}] if e else []

        change = {
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "message_id": message["message_id"],
            "user": user.as_dict(),
            "date": int(time.time()),
            "old_reaction": as_list(old),
            "new_reaction": as_list(emoji),
        }
        return self.push_update({"message_reaction": change})

    @staticmethod
    def in_chat_of(user: User, message: dict[str, Any]) -> dict[str, Any]:
        """`message` as if it were in `user`'s chat: how a forged button is pressed."""
        return {**message, "chat": {"id": user.id, "type": "private"}}
