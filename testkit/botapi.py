"""A stand-in for the Telegram Bot API, served over real HTTP on 127.0.0.1 for tests and benchmarks.

It speaks Telegram's JSON envelopes ({"ok": true, "result": ...} / {"ok": false, "error_code",
"description"}), holds the updates that tests push for getUpdates (long polling included), serves
files for getFile and the file URL, and records every call the bot makes. Where the bot depends on
it, it is as strict as Telegram (testkit.telegram_rules): photos re-encoded in several sizes, length
limits, flood limits with retry_after, edits of unknown messages refused, late button answers
refused. Tests can make it fail, stall, lose an answer, or run a hook on a call (kill the bot).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from testkit.telegram_rules import DOWNLOAD_LIMIT, CallbackQueries, FloodLimits, photo_sizes, too_long
from testkit.waiting import wait_until_async

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz"
BOT_ID = 7000001
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Stylebot", "username": "stylebot_test_bot"}
JSON_FIELDS = {
    "reply_markup",
    "commands",
    "allowed_updates",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
    "media",
}
UPLOADS = {"sendPhoto", "sendDocument", "sendMediaGroup"}
# A hook's answer: "drop" never answers the call (the bot is being killed), "go" handles it as usual.
Hook = Callable[["Call"], str]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> int | None:
        chat = self.params.get("chat_id")
        return int(chat) if chat is not None else None


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


@dataclass
class Shown:
    """A message the bot has in a chat, as Telegram knows it."""

    kind: str  # text, photo or document
    text: str = ""
    markup: str = "null"


class BotApiStandIn:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.files: dict[str, tuple[bytes, str]] = {}  # file_id -> (data, file_path)
        # method -> error answers to give, one per call, before answering normally
        self.faults: dict[str, list[tuple[int, str, dict[str, Any] | None]]] = {}
        # method -> seconds to hold a call before answering 504, one per call: a request lost on the
        # way (the client times out; nothing is done with it)
        self.stalls: dict[str, list[float]] = {}
        # method -> seconds to hold a call that was carried out before answering 504: an answer lost
        # on the way back (the message is there, but the bot does not know it)
        self.lost_answers: dict[str, list[float]] = {}
        # method -> seconds to hold a call before carrying it out, one per call: a slow upload
        self.delays: dict[str, list[float]] = {}
        # chat id -> seconds every upload to that chat takes: a user on a bad connection
        self.slow_chats: dict[int, float] = {}
        self.hooks: list[Hook] = []
        self.flood = FloodLimits()
        self.queries = CallbackQueries()
        self._updates: list[dict[str, Any]] = []
        self._shown: dict[tuple[int, int], Shown] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._file_ids = itertools.count(1)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._serve, name="bot-api-stand-in", daemon=True)

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> BotApiStandIn:
        ready = threading.Event()
        self._ready = ready
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("Bot API stand-in did not start")
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            assert self._runner is not None
            await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()
        self._loop.run_forever()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- what tests do as a Telegram user -----------------------------------------------------
    def add_file(self, data: bytes, suffix: str = "jpg") -> str:
        with self._lock:
            number = next(self._file_ids)
        file_id = f"FILE{number:04d}"
        self.files[file_id] = (data, f"photos/file_{number}.{suffix}")
        return file_id

    def push_update(self, payload: dict[str, Any]) -> int:
        with self._lock:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **payload})
        self._loop.call_soon_threadsafe(self._wake)
        return update_id

    def _wake(self) -> None:
        assert self._new_update is not None
        self._new_update.set()

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

    @staticmethod
    def in_chat_of(user: User, message: dict[str, Any]) -> dict[str, Any]:
        """`message` as if it were in `user`'s chat: how a forged button is pressed."""
        return {**message, "chat": {"id": user.id, "type": "private"}}

    # -- what tests check ---------------------------------------------------------------------
    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._lock:
            found = [c for c in self.calls if c.method == method]
        if chat_id is not None:
            found = [c for c in found if c.chat_id == chat_id]
        return found

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] = lambda c: True,
        *,
        after: int = 0,
        timeout: float = 30.0,
    ) -> Call:
        """The first call to `method` (from the `after`-th call on) that satisfies `predicate`."""

        def found() -> Call | None:
            with self._lock:
                recent = self.calls[after:]
            return next((c for c in recent if c.method == method and predicate(c)), None)

        def seen() -> str:
            with self._lock:
                said = [
                    (c.method, c.params.get("text") or c.params.get("caption")) for c in self.calls[after:]
                ]
            return f"a {method} call; saw {said}"

        return await wait_until_async(found, seen, timeout)

    def mark(self) -> int:
        """The number of calls so far, to wait only for what comes after."""
        with self._lock:
            return len(self.calls)

    def add_bot_message(self, chat_id: int, text: str) -> dict[str, Any]:
        """A message the bot sent before the test began (a status message, say)."""
        return self._bot_message(chat_id, Shown("text", text), text=text)

    def messages(self) -> list[tuple[tuple[int, int], Shown]]:
        """Every message the bot has in a chat now: ((chat id, message id), what it shows)."""
        return list(self._shown.items())

    def shown(self, chat_id: int, message_id: int) -> Shown | None:
        """The message as the chat shows it now (None: never sent, or deleted)."""
        return self._shown.get((chat_id, message_id))

    # -- the HTTP side --------------------------------------------------------------------------
    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=code)

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params = await request.json()
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = value.file.read()
                elif key in JSON_FIELDS:
                    params[key] = json.loads(str(value))
                else:
                    params[key] = str(value)
        params.update({k: v for k, v in request.query.items() if k not in params})
        return params, files

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        for data, path in list(self.files.values()):
            if path == request.match_info["path"]:
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)

    def _take(self, table: dict[str, list[Any]], method: str) -> Any:
        with self._lock:
            waiting = table.get(method)
            return waiting.pop(0) if waiting else None

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await self._params(request)
        call = Call(method, params, files)
        if method == "getUpdates":  # asking from an offset confirms what came before it
            self._confirm(int(params.get("offset") or 0))
        if any(hook(call) == "drop" for hook in list(self.hooks)):
            # The bot is being killed: this call is never carried out, nor answered.
            while request.transport is not None and not request.transport.is_closing():
                await asyncio.sleep(0.05)
            return web.Response(status=499)
        delay = self._take(self.delays, method)
        if delay is not None:
            await asyncio.sleep(delay)
        if method in UPLOADS and call.chat_id in self.slow_chats:
            await asyncio.sleep(self.slow_chats[call.chat_id])
        refusal = self._refusal(call)
        if refusal is not None:
            with self._lock:
                self.calls.append(call)
            return refusal
        stall = self._take(self.stalls, method)
        if stall is not None:
            with self._lock:
                self.calls.append(call)
            await asyncio.sleep(stall)
            return self._error(504, "Gateway Timeout")
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._error(404, "Not Found")
        response = await handler(params, files)
        if isinstance(response, web.Response):
            if method != "getUpdates":
                with self._lock:
                    self.calls.append(call)
            return response
        call.result = response
        if method != "getUpdates":
            with self._lock:
                self.calls.append(call)
        lost = self._take(self.lost_answers, method)
        if lost is not None:
            await asyncio.sleep(lost)
            return self._error(504, "Gateway Timeout")
        return self._ok(response)

    def _refusal(self, call: Call) -> web.Response | None:
        """A fault a test set up, or one of Telegram's rules broken; None to carry the call out."""
        fault = self._take(self.faults, call.method)
        if fault is not None:
            return self._error(*fault)
        wait = self.flood.retry_after(call.method, call.chat_id)
        if wait is not None:
            return self._error(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        long = too_long(call.method, call.params)
        return self._error(400, long) if long is not None else None

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

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        timeout = min(float(params.get("timeout") or 0), 2.0)  # short, so the bot stops quickly
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while True:
            with self._lock:
                ready = list(self._updates)
            if ready or time.monotonic() >= deadline:
                return ready
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), max(0.01, deadline - time.monotonic()))

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
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

    async def _api_deleteMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if self._shown.pop((int(params["chat_id"]), int(params["message_id"])), None) is None:
            return self._error(400, "Bad Request: message to delete not found")
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
        extra = {"reply_markup": params["reply_markup"]} if "reply_markup" in params else {}
        shown = Shown("photo", params.get("caption", ""), self._markup(params))
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
