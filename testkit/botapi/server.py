"""The stand-in's HTTP side: a real aiohttp server on 127.0.0.1 in a thread of its own, Telegram's
JSON envelopes, every call recorded (what tests check), and the faults tests inject: error answers,
stalls, lost answers, slow uploads, flood limits, and hooks (kill the bot at a chosen call).
The Bot API methods themselves are in testkit.botapi.api (and .profile).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

from testkit.telegram_rules import CallbackQueries, FloodLimits, bad_button, too_long
from testkit.waiting import wait_until_async

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz"
JSON_FIELDS = {
    "reply_markup",
    "commands",
    "scope",
    "allowed_updates",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
    "media",
    "results",
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
    began: float = 0.0  # time.monotonic() when the call's request arrived, before its body (an upload)

    @property
    def chat_id(self) -> int | None:
        chat = self.params.get("chat_id")
        return int(chat) if chat is not None else None


class Server:
    """Serves `_api_<method>` (defined by the subclass) at /bot<token>/<method>, and files."""

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
        # method -> kinds of failure ("5xx", "timeout", "429") that every other call to the method
        # gets, in turn: each call fails once and its next try goes through, so a whole conversation
        # meets each kind at each of its steps. "download" stands for the file downloads.
        self.flaky: dict[str, list[str]] = {}
        self.flaky_stall_seconds = 3.0  # a "timeout": held longer than the client waits, then 504
        # With a rate, a call fails at random with that chance (kinds still in turn), not every other
        # call: under load, strict turns can land one caller's every try on a failing turn.
        self.flaky_rate: float | None = None
        self._flaky_random = random.Random(0)
        self._flaky_calls: dict[str, int] = {}
        self.hooks: list[Hook] = []
        self.flood = FloodLimits()
        self.queries = CallbackQueries()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._closing = asyncio.Event()  # set (in the server's loop) when the stand-in stops
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._serve, name="bot-api-stand-in", daemon=True)

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> Self:
        ready = threading.Event()
        self._ready = ready
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("Bot API stand-in did not start")
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            assert self._runner is not None
            self._closing.set()
            self._stopping()
            await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._started()
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

    def _started(self) -> None:
        """Runs in the server's event loop before it listens: what the methods need there."""

    def _stopping(self) -> None:
        """Runs in the server's event loop before it closes: ends the calls it holds open (a long
        poll), which the server would otherwise wait out."""

    async def _hold(self, seconds: float) -> None:
        """Holds a call `seconds` (a stall, a slow upload), or until the stand-in stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

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
        flaky = await self._flaky(Call("download", {"file_path": request.match_info["path"]}))
        if flaky is not None:
            return flaky
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
        began = time.monotonic()
        params, files = await self._params(request)
        call = Call(method, params, files, began=began)
        if method == "getUpdates":  # asking from an offset confirms what came before it
            self._confirm(int(params.get("offset") or 0))
        if any(hook(call) == "drop" for hook in list(self.hooks)):
            # The bot is being killed: this call is never carried out, nor answered.
            while request.transport is not None and not request.transport.is_closing():
                await asyncio.sleep(0.05)
            return web.Response(status=499)
        delay = self._take(self.delays, method)
        if delay is not None:
            await self._hold(delay)
        if method in UPLOADS and call.chat_id in self.slow_chats:
            await self._hold(self.slow_chats[call.chat_id])
        flaky = await self._flaky(call)
        if flaky is not None:
            return flaky
        refusal = self._refusal(call)
        if refusal is not None:
            with self._lock:
                self.calls.append(call)
            return refusal
        stall = self._take(self.stalls, method)
        if stall is not None:
            with self._lock:
                self.calls.append(call)
            await self._hold(stall)
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
            await self._hold(lost)
            return self._error(504, "Gateway Timeout")
        return self._ok(response)

    async def _flaky(self, call: Call) -> web.Response | None:
        """The failure `flaky` gives this call (recorded, not carried out); None to go on."""
        with self._lock:
            kinds = self.flaky.get(call.method)
            if not kinds:
                return None
            turn = self._flaky_calls.get(call.method, 0)
            if self.flaky_rate is None:
                self._flaky_calls[call.method] = turn + 1
                if turn % 2:
                    return None
                turn //= 2
            elif self._flaky_random.random() < self.flaky_rate:
                self._flaky_calls[call.method] = turn + 1
            else:
                return None
            kind = kinds[turn % len(kinds)]
            self.calls.append(call)
        if kind == "timeout":
            await self._hold(self.flaky_stall_seconds)
            return self._error(504, "Gateway Timeout")
        if kind == "429":
            return self._error(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        return self._error(502, "Bad Gateway")

    def _refusal(self, call: Call) -> web.Response | None:
        """A fault a test set up, or one of Telegram's rules broken; None to carry the call out."""
        fault = self._take(self.faults, call.method)
        if fault is not None:
            return self._error(*fault)
        wait = self.flood.retry_after(call.method, call.chat_id)
        if wait is not None:
            return self._error(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        long = too_long(call.method, call.params) or bad_button(call.params)
        return self._error(400, long) if long is not None else None
