"""A fake Telegram Bot API server on 127.0.0.1 that records calls and refuses what Telegram would.

Use it as an async context manager inside a test's event loop, or run it in a background
thread (`with fake.running_in_thread():`) for tests that drive the bot as a subprocess.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from fakes.telegram_api import (
    BOT_USER,
    SEND_METHODS,
    BotApiMethods,
    Call,
    _Flood,
    _read_params,
)
from fakes.telegram_checks import Rejected, load_methods

T = TypeVar("T")
log = logging.getLogger(__name__)
TOKEN = "123456:TEST-token_for-the-fake"
OUTAGE_WORDS = {400: "Bad Request: chat not found", 502: "Bad Gateway", 503: "Service Unavailable"}


class FakeTelegram(BotApiMethods):
    """The fake Bot API: push updates for the bot to fetch, then read what the bot sent."""

    def __init__(
        self,
        token: str = TOKEN,
        *,
        per_chat_rate: float | None = None,
        global_rate: float | None = None,
        spec_path: Path | None = None,
    ) -> None:
        self.token = token
        self.table = load_methods(spec_path)
        self.full_check = self.table.full_check
        self.flood = _Flood(per_chat_rate, global_rate)
        self.blocked: set[str] = set()
        # True: answer every parse_mode=HTML text with 400 "can't parse entities", as Telegram
        # does for HTML it cannot read (tests of the plain-text fallback).
        self.refuse_html = False
        self.webhook: dict[str, Any] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.files: dict[str, bytes] = {}
        self._lock = threading.RLock()
        self._changed_cond = threading.Condition(self._lock)
        self._calls: list[Call] = []
        self._by_chat: dict[str, list[Call]] = {}
        self._updates: list[dict[str, Any]] = []
        self._confirmed = 0  # every update_id below this was confirmed by an offset
        self._update_ids = itertools.count(1)
        self._message_ids: dict[str, itertools.count[int]] = {}
        self._messages: dict[tuple[str, int], str] = {}
        self._keyboards: dict[tuple[str, int], dict[str, Any]] = {}  # inline keyboards shown
        self._open_callbacks: dict[str, int] = {}  # callback query id → update id
        self._answered: set[str] = set()
        self._callback_ids = itertools.count(1)
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._holds: dict[str, asyncio.Event] = {}
        self.holding = 0  # requests waiting at a hold right now
        self.held_chats: list[str] = []  # the chat_id of each request waiting at a hold
        # True: a held request whose sender died meanwhile is dropped, not delivered (as a
        # request cut off before Telegram acted on it); False: delivered on release.
        self.drop_when_gone = False
        self.outage_status: int | None = None  # answer every send with this 5xx while set
        self.port = 0

    # --- serving -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL should be (the token is appended by the client)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeTelegram:
        """Listen on 127.0.0.1 on `self.port` (0, the default: a port the OS picks)."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Stop listening (pending long polls end at once)."""
        if self._runner is not None:
            self._closing = True
            self._wake_pollers()
            for method in list(self._holds):
                self._release_now(method)
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @contextmanager
    def running_in_thread(self) -> Iterator[FakeTelegram]:
        """Serve from a background thread with its own event loop (for subprocess tests)."""
        loop = asyncio.new_event_loop()
        started = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as error:  # reported to the caller below
                failure.append(error)
                started.set()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        thread = threading.Thread(target=serve, name="fake-telegram", daemon=True)
        thread.start()
        started.wait(10)
        if failure:
            raise failure[0]
        try:
            yield self
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)

    # --- pushing updates -----------------------------------------------------------------

    def push(self, update: dict[str, Any], *, times: int = 1) -> int:
        """Queue an update for getUpdates (`times` > 1 delivers the same update_id again)."""
        with self._lock:
            update_id = update.get("update_id") or next(self._update_ids)
            update = {**update, "update_id": update_id}
            self._updates.extend(dict(update) for _ in range(times))
            if "callback_query" in update:
                self._open_callbacks[update["callback_query"]["id"]] = update_id
        self._changed()
        return int(update_id)

    def _user(self, user_id: int, first_name: str, language_code: str) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name,
                "language_code": language_code}

    def _message(
        self, user_id: int, chat_id: int | None, chat_type: str, first_name: str,
        language_code: str, **content: Any,
    ) -> dict[str, Any]:
        chat = chat_id if chat_id is not None else user_id
        chat_obj: dict[str, Any] = {"id": chat, "type": chat_type}
        if chat_type == "private":
            chat_obj["first_name"] = first_name
        else:
            chat_obj["title"] = "Nhóm thử"
        return {
            "message_id": self._next_message_id(str(chat)),
            "date": int(time.time()),
            "chat": chat_obj,
            "from": self._user(user_id, first_name, language_code),
            **content,
        }

    def push_message(
        self, user_id: int, *, chat_id: int | None = None, chat_type: str = "private",
        first_name: str = "Lan", language_code: str = "vi", times: int = 1, **content: Any,
    ) -> int:
        """Queue a message update with the given content fields (text, photo, sticker …)."""
        message = self._message(user_id, chat_id, chat_type, first_name, language_code, **content)
        return self.push({"message": message}, times=times)

    def push_text(self, user_id: int, text: str, **options: Any) -> int:
        """Queue a text message from a user (in their private chat unless chat_id is given)."""
        return self.push_message(user_id, text=text, **options)

    def push_callback(
        self, user_id: int, data: str, message_id: int, *, times: int = 1,
        first_name: str = "Lan", language_code: str = "vi",
    ) -> int:
        """Queue a button press on a message the bot sent (a callback query)."""
        with self._lock:
            text = self._messages.get((str(user_id), message_id), "")
            markup = self._keyboards.get((str(user_id), message_id))
            query_id = f"cq{next(self._callback_ids)}"
        message = {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": first_name},
            "from": BOT_USER, "text": text or "…",
        }
        if markup is not None:  # like Telegram: the pressed message comes with its keyboard
            message["reply_markup"] = markup
        query = {
            "id": query_id, "from": self._user(user_id, first_name, language_code),
            "chat_instance": f"ci{user_id}", "data": data, "message": message,
        }
        return self.push({"callback_query": query}, times=times)

    def push_photo(
        self, user_id: int, file_id: str = "photo-big", file_size: int = 120_000,
        caption: str | None = None, **options: Any,
    ) -> int:
        """Queue a photo (three sizes, the largest last, as Telegram sends them)."""
        sizes = [
            {"file_id": f"{file_id}-{w}", "file_unique_id": f"u-{file_id}-{w}", "width": w,
             "height": w, "file_size": file_size // (4 ** i)}
            for i, w in ((2, 90), (1, 320))
        ]
        sizes.append({"file_id": file_id, "file_unique_id": f"u-{file_id}", "width": 1280,
                      "height": 960, "file_size": file_size})
        content: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            content["caption"] = caption
        return self.push_message(user_id, **content, **options)

    def push_document(
        self, user_id: int, file_id: str = "doc-1", file_name: str = "hoso.pdf",
        mime_type: str = "application/pdf", file_size: int = 200_000, **options: Any,
    ) -> int:
        """Queue a file sent as a document."""
        document = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_name": file_name,
                    "mime_type": mime_type, "file_size": file_size}
        return self.push_message(user_id, document=document, **options)

    def push_sticker(self, user_id: int, file_id: str = "sticker-1", **options: Any) -> int:
        """Queue a sticker."""
        sticker = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "type": "regular",
                   "width": 512, "height": 512, "is_animated": False, "is_video": False,
                   "emoji": "👍"}
        return self.push_message(user_id, sticker=sticker, **options)

    def push_voice(self, user_id: int, duration: int = 3, **options: Any) -> int:
        """Queue a voice note."""
        voice = {"file_id": "voice-1", "file_unique_id": "u-voice-1", "duration": duration,
                 "mime_type": "audio/ogg", "file_size": 4_000}
        return self.push_message(user_id, voice=voice, **options)

    def push_location(self, user_id: int, **options: Any) -> int:
        """Queue a shared location (somewhere in Vĩnh Long)."""
        return self.push_message(
            user_id, location={"latitude": 10.2537, "longitude": 105.9722}, **options
        )

    def push_contact(self, user_id: int, phone: str, *, own: bool = True, **options: Any) -> int:
        """Queue a shared contact: the user's own (the "share my phone" button) or another's."""
        contact = {"phone_number": phone, "first_name": "Lan",
                   "user_id": user_id if own else user_id + 1}
        return self.push_message(user_id, contact=contact, **options)

    def add_file(self, file_id: str, content: bytes) -> None:
        """Make a file downloadable through getFile and /file/bot<token>/<path>."""
        with self._lock:
            self.files[file_id] = content

    def hold(self, method: str) -> None:
        """Keep requests of this method waiting (unanswered) until `release(method)`."""
        with self._lock:
            self._holds.setdefault(method, asyncio.Event())

    def release(self, method: str) -> None:
        """Let held requests of this method (and later ones) through."""
        if self._loop is not None and not self._loop.is_closed():
            with suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._release_now, method)

    def _release_now(self, method: str) -> None:
        with self._lock:
            gate = self._holds.pop(method, None)
        if gate is not None:
            gate.set()

    def outage(self, status: int = 502) -> None:
        """Answer every sendMessage/sendPhoto/sendDocument with `status` until `end_outage`."""
        with self._lock:
            self.outage_status = status

    def end_outage(self) -> None:
        """Deliver sends again."""
        with self._lock:
            self.outage_status = None

    # --- reading what happened -----------------------------------------------------------

    def calls(self, method: str | None = None, *, rejected: bool = False) -> list[Call]:
        """Accepted calls (or only rejected ones), optionally of one method, in order."""
        with self._lock:
            return [
                c for c in self._calls
                if (method is None or c.method == method) and c.ok is not rejected
            ]

    @property
    def rejected(self) -> list[Call]:
        """Every request the fake refused (4xx/429, and 5xx during an outage), in order."""
        return self.calls(rejected=True)

    def sent_to(self, chat_id: int | str) -> list[Call]:
        """Accepted sendMessage/sendPhoto/sendDocument calls to one chat, in order."""
        with self._lock:
            return list(self._by_chat.get(str(chat_id), []))

    def keyboard_of(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        """The inline keyboard a sent message shows now (None once removed)."""
        with self._lock:
            return self._keyboards.get((str(chat_id), message_id))

    def text_of(self, chat_id: int | str, message_id: int) -> str:
        """A sent message's text as shown now (after any edit)."""
        with self._lock:
            return self._messages.get((str(chat_id), message_id), "")

    def answered(self, callback_query_id: str) -> bool:
        """Whether the bot answered this callback query."""
        with self._lock:
            return callback_query_id in self._answered

    def unanswered_callbacks(self) -> list[str]:
        """Callback queries the bot fetched but never answered."""
        with self._lock:
            fetched = {q for q, u in self._open_callbacks.items() if u < self._confirmed}
            return sorted(fetched - self._answered)

    @property
    def confirmed_offset(self) -> int:
        """The highest offset the bot confirmed (every update below it is done)."""
        with self._lock:
            return self._confirmed

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Wait until `predicate()` is truthy (checked whenever a call or push happens)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = asyncio.Event()
            with self._lock:
                self._waiters.append((loop, event))
            try:
                if value := predicate():
                    return value
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_report(timeout))
                try:
                    await asyncio.wait_for(event.wait(), remaining)
                except TimeoutError:
                    if value := predicate():
                        return value
                    raise TimeoutError(self._timeout_report(timeout)) from None
            finally:
                with self._lock:
                    self._waiters.remove((loop, event))

    def wait_for_sync(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """`wait_for` for code outside an event loop (the fake runs in its thread)."""
        deadline = time.monotonic() + timeout
        with self._changed_cond:
            while not (value := predicate()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_report(timeout))
                self._changed_cond.wait(remaining)
            return value

    def _timeout_report(self, timeout: float) -> str:
        with self._lock:
            last = [(c.method, c.status, c.description) for c in self._calls[-8:]]
        return f"condition not met within {timeout}s; last calls: {last}"

    def _changed(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
            self._changed_cond.notify_all()
        for loop, event in waiters:
            with suppress(RuntimeError):  # that loop is closed: its waiter is gone
                loop.call_soon_threadsafe(event.set)
        if self._loop is not None and not self._loop.is_closed():
            with suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._wake_pollers)

    def _wake_pollers(self) -> None:
        if self._wake is not None:
            self._wake.set()
            self._wake = asyncio.Event()

    # --- the Bot API ---------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        try:
            if request.match_info["token"] != self.token:
                raise Rejected(401, "Unauthorized")
            canonical, _ = self.table.lookup(method)
            method = canonical
            params = self.table.coerce(method, await _read_params(request))
            with self._lock:
                gate = self._holds.get(method)
            if gate is not None:
                await self._wait_at(gate, str(params.get("chat_id", "")))
                if self.drop_when_gone and _client_gone(request):
                    # its sender died while it waited: nothing is delivered (a killed worker)
                    raise Rejected(499, "fake Telegram: the client went away")
            with self._lock:
                outage = self.outage_status if method in SEND_METHODS else None
            if outage is not None:
                raise Rejected(outage, OUTAGE_WORDS.get(outage, "Server Error"))
            self.table.check_required(method, params)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise Rejected(501, f"fake Telegram: {method} is not implemented")
            result = await handler(params) if method == "getUpdates" else handler(params)
        except Rejected as refusal:
            self._record(Call(method, params, refusal.status, refusal.description))
            body: dict[str, Any] = {
                "ok": False, "error_code": refusal.status, "description": refusal.description,
            }
            if refusal.parameters:
                body["parameters"] = refusal.parameters
            return web.json_response(body, status=refusal.status)
        except Exception as error:  # a bug in the fake or a body it cannot read: visible
            log.exception("fake Telegram failed on %s", method)
            self._record(Call(method, params, 500, f"Internal Server Error: {error!r}"))
            return web.json_response(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"},
                status=500,
            )
        self._record(Call(method, params, 200, None, result))
        return web.json_response({"ok": True, "result": result})

    async def _wait_at(self, gate: asyncio.Event, chat_id: str = "") -> None:
        with self._lock:
            self.holding += 1
            self.held_chats.append(chat_id)
        self._changed()
        try:
            await gate.wait()
        finally:
            with self._lock:
                self.holding -= 1
                self.held_chats.remove(chat_id)

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        with self._lock:
            content = self.files.get(file_id)
        return web.Response(body=content) if content is not None else web.Response(status=404)

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)
            if call.ok and call.method in SEND_METHODS:
                self._by_chat.setdefault(str(call.params["chat_id"]), []).append(call)
        self._changed()


__all__ = ["BOT_USER", "TOKEN", "Call", "FakeTelegram"]


def _client_gone(request: web.Request) -> bool:
    """Whether the client of a waiting request has closed its connection (a killed process).
    The socket itself is asked (a peek): the server's loop may not have seen the end yet."""
    transport = request.transport
    if transport is None or transport.is_closing():
        return True
    sock = transport.get_extra_info("socket")
    if sock is None:
        return False
    with socket.socket(fileno=os.dup(sock.fileno())) as peer:
        try:
            return peer.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:  # open, nothing more sent: still there
            return False
        except OSError:  # reset by the kernel when the process died
            return True
