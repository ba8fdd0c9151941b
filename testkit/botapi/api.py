"""The Bot API methods the bot uses, as strict as Telegram where the bot depends on it
(testkit.telegram_rules): the updates for getUpdates (long polling included), files for getFile,
and the messages each chat shows, which edits and deletions must find; the bot's commands and
descriptions come from testkit.botapi.profile, which this builds on.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from testkit.botapi.profile import ProfileApi
from testkit.botapi.server import TOKEN
from testkit.telegram_rules import CAPTION_LIMIT, DOWNLOAD_LIMIT, photo_refusal, photo_sizes

# Telegram leaves these out unless allowed_updates names them.
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
INLINE_RESULTS_LIMIT = 50
INLINE_ANSWER_SECONDS = 10.0  # an inline query answered later than this is "too old"
BOT_ID = 7000001
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Stylebot", "username": "stylebot_test_bot"}


@dataclass
class Shown:
    """A message the bot has in a chat, as Telegram knows it."""

    kind: str  # text, photo or document
    text: str = ""
    markup: str = "null"
    media: str = ""  # which picture a photo shows (a digest of what was sent)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BotApi(ProfileApi):
    def __init__(self, token: str = TOKEN) -> None:
        super().__init__(token)
        self._updates: list[dict[str, Any]] = []
        self._shown: dict[tuple[int, int], Shown] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._file_ids = itertools.count(1)
        self._new_update: asyncio.Event | None = None
        self._deleted: set[tuple[int, int]] = set()
        self._allowed: set[str] | None = None  # allowed_updates as last given; None: the default
        self._inline_queries: dict[str, tuple[int, float]] = {}  # id -> (user id, when asked)
        self.inline_answers: dict[str, list[dict[str, Any]]] = {}  # query id -> the results given

    def _started(self) -> None:
        self._new_update = asyncio.Event()

    def _stopping(self) -> None:
        self._wake()

    # -- updates and files, as a user's client puts them there --------------------------------
    def push_update(self, payload: dict[str, Any]) -> int:
        return self.push_updates([payload])[0]

    def push_updates(self, payloads: list[dict[str, Any]]) -> list[int]:
        """Updates that arrive together: the next getUpdates hands them over in one batch."""
        with self._lock:
            update_ids = [next(self._update_ids) for _ in payloads]
            self._updates += [{"update_id": u, **p} for u, p in zip(update_ids, payloads, strict=True)]
        self._loop.call_soon_threadsafe(self._wake)
        return update_ids

    def _wake(self) -> None:
        assert self._new_update is not None
        self._new_update.set()

    def add_file(self, data: bytes, suffix: str = "jpg") -> str:
        with self._lock:
            number = next(self._file_ids)
        file_id = f"FILE{number:04d}"
        self.files[file_id] = (data, f"photos/file_{number}.{suffix}")
        return file_id

    def photo(self, data: bytes) -> list[dict[str, Any]]:
        """A photo as Telegram hands it to bots: re-encoded sizes, smallest first, true dimensions."""
        sizes = []
        for jpeg, width, height in photo_sizes(data):
            file_id = self.add_file(jpeg)
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id}",
                    "width": width,
                    "height": height,
                    "file_size": len(jpeg),
                }
            )
        return sizes

    def largest(self, photo: list[dict[str, Any]]) -> bytes:
        """The bytes of a photo's largest size: what the bot downloads."""
        return self.files[photo[-1]["file_id"]][0]

    # -- what the chats show ---------------------------------------------------------------------
    def add_bot_message(self, chat_id: int, text: str) -> dict[str, Any]:
        """A message the bot sent before the test began (a status message, say)."""
        return self._bot_message(chat_id, Shown("text", text), text=text)

    def messages(self) -> list[tuple[tuple[int, int], Shown]]:
        """Every message the bot has in a chat now: ((chat id, message id), what it shows)."""
        return list(self._shown.items())

    def shown(self, chat_id: int, message_id: int) -> Shown | None:
        """The message as the chat shows it now (None: never sent, or deleted)."""
        return self._shown.get((chat_id, message_id))

    # -- the methods ----------------------------------------------------------------------------
    def _bot_message(self, chat_id: Any, shown: Shown, **content: Any) -> dict[str, Any]:
        with self._lock:
            message_id = next(self._message_ids)
        self._shown[(int(chat_id), message_id)] = shown
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": int(chat_id), "type": "private"},
            "from": BOT_USER,
            **content,
        }

    @staticmethod
    def _markup(params: dict[str, Any]) -> str:
        return json.dumps(params.get("reply_markup"), sort_keys=True)

    async def _api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return BOT_USER | {"can_join_groups": True, "can_read_all_group_messages": False}

    def _confirm(self, offset: int) -> None:
        with self._lock:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _allows(self, update: dict[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        return kind in self._allowed if self._allowed is not None else kind not in NOT_BY_DEFAULT

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        timeout = min(float(params.get("timeout") or 0), 2.0)  # short, so the bot stops quickly
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        if params.get("allowed_updates") is not None:  # kept until changed, as Telegram does
            self._allowed = set(params["allowed_updates"]) or None
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if self._allows(u)]  # never delivered
                ready = list(self._updates)
            if ready or time.monotonic() >= deadline or self._closing.is_set():
                return ready
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), max(0.01, deadline - time.monotonic()))

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if params.get("allowed_updates") is not None:
            self._allowed = set(params["allowed_updates"]) or None
        return True

    def _reply_refused(self, params: dict[str, Any]) -> web.Response | None:
        """Telegram refuses a reply to a message that is gone, unless told to send it anyway."""
        reply = params.get("reply_parameters") or {}
        if not reply or reply.get("allow_sending_without_reply"):
            return None
        if (int(reply.get("chat_id", params["chat_id"])), int(reply["message_id"])) in self._deleted:
            return self._error(400, "Bad Request: message to be replied not found")
        return None

    async def _api_answerInlineQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        query_id = str(params.get("inline_query_id"))
        asked = self._inline_queries.pop(query_id, None)
        if asked is None or time.monotonic() - asked[1] > INLINE_ANSWER_SECONDS:
            return self._error(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        results = params.get("results") or []
        if len(results) > INLINE_RESULTS_LIMIT:
            return self._error(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            return self._error(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            if result.get("type") == "photo" and result.get("photo_file_id", "") not in self.files:
                return self._error(400, "Bad Request: wrong file identifier/HTTP URL specified")
            if len(str(result.get("caption", ""))) > 1024:
                return self._error(400, "Bad Request: message caption is too long")
        self.inline_answers[query_id] = results
        return True

    async def _api_sendChatAction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not self.queries.answer(str(params.get("callback_query_id"))):
            return self._error(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        return True

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        refused = self._reply_refused(params)
        if refused is not None:
            return refused
        extra = {"reply_markup": params["reply_markup"]} if "reply_markup" in params else {}
        shown = Shown("text", params["text"], self._markup(params))
        return self._bot_message(params["chat_id"], shown, text=params["text"], **extra)

    def _editable(self, params: dict[str, Any]) -> tuple[tuple[int, int], Shown] | web.Response:
        key = (int(params["chat_id"]), int(params["message_id"]))
        shown = self._shown.get(key)
        if shown is None:
            return self._error(400, "Bad Request: message to edit not found")
        return key, shown

    async def _api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        found = self._editable(params)
        if isinstance(found, web.Response):
            return found
        key, shown = found
        if shown.kind != "text":
            return self._error(400, "Bad Request: there is no text in the message to edit")
        new = Shown("text", params["text"], self._markup(params))
        if new == shown:
            return self._error(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup",
            )
        self._shown[key] = new
        extra = {"reply_markup": params["reply_markup"]} if "reply_markup" in params else {}
        return {
            "message_id": key[1],
            "date": 0,
            "chat": {"id": key[0], "type": "private"},
            "text": new.text,
            **extra,
        }

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        found = self._editable(params)
        if isinstance(found, web.Response):
            return found
        key, shown = found
        markup = self._markup(params)
        if markup == shown.markup:
            return self._error(400, "Bad Request: message is not modified")
        self._shown[key] = Shown(shown.kind, shown.text, markup)
        return {"message_id": key[1], "date": 0, "chat": {"id": key[0], "type": "private"}}

    async def _api_editMessageCaption(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        found = self._editable(params)
        if isinstance(found, web.Response):
            return found
        key, shown = found
        if shown.kind == "text":
            return self._error(400, "Bad Request: there is no caption in the message to edit")
        new = Shown(shown.kind, params.get("caption", ""), self._markup(params), shown.media)
        if new == shown:
            return self._error(400, "Bad Request: message is not modified")
        self._shown[key] = new
        return {
            "message_id": key[1],
            "date": 0,
            "chat": {"id": key[0], "type": "private"},
            "caption": new.text,
        }

    async def _api_editMessageMedia(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        """As Telegram: the message must be there and show a photo (a text cannot become one), the new
        photo must be one Telegram takes, and something must change."""
        found = self._editable(params)
        if isinstance(found, web.Response):
            return found
        key, shown = found
        if shown.kind == "text":
            return self._error(400, "Bad Request: there is no media in the message to edit")
        media = params.get("media")
        if not isinstance(media, dict) or media.get("type") != "photo":
            return self._error(400, "Bad Request: can't parse InputMedia: media not found")
        attached = str(media.get("media", "")).removeprefix("attach://")
        if attached in files:
            data = files[attached]
        elif attached in self.files:
            data = self.files[attached][0]
        else:
            return self._error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        if len(str(media.get("caption", ""))) > CAPTION_LIMIT:
            return self._error(400, "Bad Request: message caption is too long")
        refusal = photo_refusal(data)
        if refusal is not None:
            return self._error(400, refusal)
        new = Shown("photo", str(media.get("caption", "")), self._markup(params), digest(data))
        if new == shown:
            return self._error(400, "Bad Request: message is not modified")
        self._shown[key] = new
        return {
            "message_id": key[1],
            "date": 0,
            "chat": {"id": key[0], "type": "private"},
            "photo": self.photo(data),
            "caption": new.text,
        }

    async def _api_deleteMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if self._shown.pop(key, None) is None:
            return self._error(400, "Bad Request: message to delete not found")
        self._deleted.add(key)
        return True

    async def _api_getFile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = params.get("file_id", "")
        if file_id not in self.files:
            return self._error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        data, path = self.files[file_id]
        if len(data) > DOWNLOAD_LIMIT:
            return self._error(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data),
            "file_path": path,
        }

    async def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if "photo" in files:
            photo = self.photo(files["photo"])
        elif params.get("photo") in self.files:  # sent again by file_id
            photo = self.photo(self.files[params["photo"]][0])
        else:
            return self._error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        data = files["photo"] if "photo" in files else self.files[params["photo"]][0]
        refusal = photo_refusal(data)
        if refusal is not None:
            return self._error(400, refusal)
        extra = {"reply_markup": params["reply_markup"]} if "reply_markup" in params else {}
        shown = Shown("photo", params.get("caption", ""), self._markup(params), digest(data))
        return self._bot_message(
            params["chat_id"], shown, photo=photo, caption=params.get("caption", ""), **extra
        )

    async def _api_sendDocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if "document" not in files:
            return self._error(400, "Bad Request: there is no document in the request")
        document = {
            "file_id": self.add_file(files["document"]),
            "file_unique_id": "d",
            "file_size": len(files["document"]),
        }
        shown = Shown("document", params.get("caption", ""), self._markup(params))
        return self._bot_message(
            params["chat_id"], shown, document=document, caption=params.get("caption", "")
        )

    async def _api_sendMediaGroup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not 2 <= len(params.get("media", [])) <= 10:
            return self._error(400, "Bad Request: media group must contain 2-10 items")
        if "reply_markup" in params:  # an album carries no buttons
            return self._error(400, "Bad Request: reply markup is not allowed in media groups")
        refused = self._reply_refused(params)
        if refused is not None:
            return refused
        sent = []
        for item in params.get("media", []):
            attached = str(item["media"]).removeprefix("attach://")
            if attached not in files:
                return self._error(400, "Bad Request: wrong file identifier/HTTP URL specified")
            shown = Shown("photo", item.get("caption", ""))
            sent.append(
                self._bot_message(
                    params["chat_id"],
                    shown,
                    photo=self.photo(files[attached]),
                    caption=item.get("caption", ""),
                    media_group_id="mg",
                )
            )
        return sent
