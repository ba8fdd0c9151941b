"""A stand-in for the Telegram Bot API, served over real HTTP on 127.0.0.1 for the tests.

It speaks Telegram's JSON envelopes ({"ok": true, "result": ...} / {"ok": false, "error_code",
"description"}), holds the updates that tests push for getUpdates (long polling included), serves
files for getFile and the file URL, and records every call the bot makes.
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

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz"
BOT_ID = 7000001
JSON_FIELDS = {
    "reply_markup",
    "commands",
    "allowed_updates",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None
    at: float = field(default_factory=time.monotonic)


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


class BotApiStandIn:
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.files: dict[str, tuple[bytes, str]] = {}  # file_id -> (data, file_path)
        # method -> list of error answers to give, one per call, before answering normally
        self.faults: dict[str, list[tuple[int, str, dict[str, Any] | None]]] = {}
        # method -> seconds to hold a call before answering 504, one per call, after the faults:
        # a request lost on the way (the client times out; nothing is done with it)
        self.stalls: dict[str, list[float]] = {}
        self._updates: list[dict[str, Any]] = []
        self._texts: dict[
            tuple[int, int], tuple[str, str]
        ] = {}  # (chat, message) -> shown, for "not modified"
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

    def send_photo(
        self,
        user: User,
        data: bytes,
        width: int = 64,
        height: int = 64,
        *,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> int:
        file_id = self.add_file(data)
        photo = [
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "width": width,
                "height": height,
                "file_size": len(data),
            },
        ]
        extra: dict[str, Any] = {"caption": caption} if caption else {}
        if media_group_id:
            extra["media_group_id"] = media_group_id
        return self.push_update({"message": self._message(user, photo=photo, **extra)})

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
        photo = [{"file_id": self.add_file(data), "file_unique_id": "g", "width": 64, "height": 64}]
        message = self._message(user, photo=photo) | {"chat": self.group_chat(chat_id)}
        return self.push_update({"message": message})

    def add_bot_to_group(self, user: User, chat_id: int) -> int:
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Stylebot", "username": "stylebot_test_bot"}
        change = {
            "chat": self.group_chat(chat_id),
            "from": user.as_dict(),
            "date": int(time.time()),
            "old_chat_member": {"user": bot, "status": "left"},
            "new_chat_member": {"user": bot, "status": "member"},
        }
        return self.push_update({"my_chat_member": change})

    def press_button(self, user: User, message: dict[str, Any], data: str) -> int:
        query = {
            "id": f"cq{time.monotonic_ns()}",
            "from": user.as_dict(),
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
        return self.push_update({"callback_query": query})

    # -- what tests check ---------------------------------------------------------------------
    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._lock:
            found = [c for c in self.calls if c.method == method]
        if chat_id is not None:
            found = [c for c in found if int(c.params.get("chat_id", 0)) == chat_id]
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                recent = self.calls[after:]
            for call in recent:
                if call.method == method and predicate(call):
                    return call
            await asyncio.sleep(0.05)
        with self._lock:
            seen = [(c.method, c.params.get("text") or c.params.get("caption")) for c in self.calls[after:]]
        raise AssertionError(f"no {method} call within {timeout}s; saw {seen}")

    def mark(self) -> int:
        """The number of calls so far, to wait only for what comes after."""
        with self._lock:
            return len(self.calls)

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

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await self._params(request)
        call = Call(method, params, files)
        with self._lock:
            faults = self.faults.get(method)
            fault = faults.pop(0) if faults else None
        if fault is not None:
            with self._lock:
                self.calls.append(call)
            return self._error(*fault)
        with self._lock:
            stalls = self.stalls.get(method) if not faults else None
            stall = stalls.pop(0) if stalls else None
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
            return response
        call.result = response
        if method != "getUpdates":
            with self._lock:
                self.calls.append(call)
        return self._ok(response)

    def _bot_message(self, chat_id: Any, **content: Any) -> dict[str, Any]:
        with self._lock:
            message_id = next(self._message_ids)
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": int(chat_id), "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Stylebot", "username": "stylebot_test_bot"},
            **content,
        }

    async def _api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Stylebot",
            "username": "stylebot_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 2.0)  # short, so the bot stops quickly
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
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
        return True

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        extra = {"reply_markup": params["reply_markup"]} if "reply_markup" in params else {}
        message = self._bot_message(params["chat_id"], text=params["text"], **extra)
        shown = (params["text"], json.dumps(params.get("reply_markup"), sort_keys=True))
        self._texts[(int(params["chat_id"]), message["message_id"])] = shown
        return message

    async def _api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        shown = (params["text"], json.dumps(params.get("reply_markup"), sort_keys=True))
        if self._texts.get(key) == shown:
            return self._error(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup",
            )
        self._texts[key] = shown
        extra = {"reply_markup": params["reply_markup"]} if "reply_markup" in params else {}
        return self._bot_message(params["chat_id"], text=params["text"], **extra) | {"message_id": key[1]}

    async def _api_getFile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = params.get("file_id", "")
        if file_id not in self.files:
            return self._error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        data, path = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data),
            "file_path": path,
        }

    async def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if "photo" not in files:
            return self._error(400, "Bad Request: there is no photo in the request")
        photo = [{"file_id": self.add_file(files["photo"]), "file_unique_id": "p", "width": 1, "height": 1}]
        return self._bot_message(params["chat_id"], photo=photo, caption=params.get("caption", ""))

    async def _api_sendDocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if "document" not in files:
            return self._error(400, "Bad Request: there is no document in the request")
        document = {"file_id": self.add_file(files["document"]), "file_unique_id": "d"}
        return self._bot_message(params["chat_id"], document=document, caption=params.get("caption", ""))
