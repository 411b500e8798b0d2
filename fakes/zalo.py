"""A fake Zalo Bot API on 127.0.0.1 that answers as the documented API does.

One update per getUpdates and 408 when idle; the docs' error table (403 is "Internal server
error", 429 is "Quota exceeded"); a monthly quota of counted sends; getWebhookInfo answers 404
when no webhook is set; sendPhoto may take its time (Zalo fetches the photo first); and, as a
live bot was measured doing, consumed updates may come back on every poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import web

TOKEN = "1234567890:fake-zalo-secret"
MAX_TEXT = 2000

# Required fields per method, as the real API documents them.
METHODS: dict[str, tuple[str, ...]] = {
    "getMe": (),
    "getUpdates": (),
    "setWebhook": ("url", "secret_token"),
    "deleteWebhook": (),
    "getWebhookInfo": (),
    "sendMessage": ("chat_id", "text"),
    "sendPhoto": ("chat_id", "photo"),
    "sendSticker": ("chat_id", "sticker"),
    "sendChatAction": ("chat_id", "action"),
}

# The official docs' error table: code → description.
ERRORS: dict[int, str] = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Internal server error",
    404: "Not found",
    408: "Request timeout",
    429: "Quota exceeded",
}
# The calls that count against the plan's monthly quota: everything that shows in a chat.
COUNTED = frozenset({"sendMessage", "sendPhoto", "sendSticker", "sendChatAction"})

_ids = count(1)


@dataclass(frozen=True)
class Call:
    """One request the bot made: the method and its JSON body."""

    method: str
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass
class Scripted:
    """A canned answer for the next call(s) of a method (errors for the transport tests)."""

    status: int
    body: dict[str, Any] | str
    times: int = 1


def text_update(chat_id: str, text: str, *, name: str = "Người dùng") -> dict[str, Any]:
    """A `message.text.received` update as Zalo sends it."""
    return _update("message.text.received", chat_id, name, text=text)


def image_update(
    chat_id: str, url: str, caption: str = "", *, field: str = "photo"
) -> dict[str, Any]:
    """A `message.image.received` update with a photo URL under `field` (the docs: `photo`)."""
    extra: dict[str, Any] = {field: url}
    if caption:
        extra["caption"] = caption
    return _update("message.image.received", chat_id, "Người dùng", **extra)


def sticker_update(chat_id: str) -> dict[str, Any]:
    """A `message.sticker.received` update."""
    return _update("message.sticker.received", chat_id, "Người dùng", sticker="abc")


def _update(event: str, chat_id: str, name: str, **extra: Any) -> dict[str, Any]:
    serial = next(_ids)
    return {
        "event_name": event,
        "message": {
            "message_id": f"m{serial:08x}{chat_id}",
            "date": int(time.time() * 1000),
            "chat": {"id": chat_id, "chat_type": "PRIVATE"},
            "from": {"id": chat_id, "display_name": name, "is_bot": False},
            **extra,
        },
    }


@dataclass
class FakeZalo:
    """The fake server; start it in a test's loop, or in a thread with `in_thread()`."""

    token: str = TOKEN
    poll_cap: float = 30.0  # the longest a getUpdates may hold, whatever it asks for
    port: int = 0
    quota: int | None = None  # counted sends allowed this "month"; None: no limit
    photo_delay: float = 0.0  # seconds sendPhoto takes to answer (Zalo fetches the photo)
    replay_consumed: bool = False  # an idle poll returns the last update again
    used: int = 0  # counted sends answered ok this "month"
    _last_update: dict[str, Any] | None = None
    _delivered: list[Call] = field(default_factory=list)
    _calls: list[Call] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _scripts: dict[str, list[Scripted]] = field(default_factory=dict)
    _webhook: dict[str, str] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _queue: asyncio.Queue[dict[str, Any]] | None = None
    _closing: asyncio.Event = field(default_factory=asyncio.Event)
    _photos: dict[str, tuple[bytes, str, float]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        """What ZALO_API_BASE_URL should be (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a port the OS picks."""
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/photos/{name}", self._photo)
        self._runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=0.5, handler_cancellation=True
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Stop serving (idle long polls answer at once)."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests do -----------------------------------------------------------------

    def serve_photo(self, name: str, content: bytes, mime: str = "image/jpeg",
                    delay: float = 0.0) -> str:
        """Serve an image as Zalo's photo storage does; its URL (as in an image update)."""
        self._photos[name] = (content, mime, delay)
        return f"http://127.0.0.1:{self.port}/photos/{name}"

    async def _photo(self, request: web.Request) -> web.StreamResponse:
        found = self._photos.get(request.match_info["name"])
        if found is None:
            return web.Response(status=404)
        content, mime, delay = found
        if delay:
            await asyncio.sleep(delay)  # a slow photo server, for the fetcher's time limit
        return web.Response(body=content, content_type=mime)

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update for the next getUpdates (safe from any thread)."""
        assert self._loop is not None and self._queue is not None
        queue = self._queue
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            queue.put_nowait(update)
        else:
            self._loop.call_soon_threadsafe(queue.put_nowait, update)

    def script(self, method: str, status: int, body: dict[str, Any] | str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with this status and body."""
        with self._lock:
            self._scripts.setdefault(method, []).append(Scripted(status, body, times))

    def fail(self, method: str, code: int, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with a documented error code."""
        body = {"ok": False, "error_code": code, "description": ERRORS.get(code, "Error")}
        self.script(method, code, body, times)

    def reset_quota(self) -> None:
        """A new month: the plan's quota is whole again."""
        with self._lock:
            self.used = 0

    def calls(self, method: str | None = None) -> list[Call]:
        """Every call so far (of one method, if given)."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def texts(self, chat_id: str | None = None) -> list[str]:
        """Texts sent with sendMessage (to one chat, if given)."""
        return [
            c.body["text"]
            for c in self.calls("sendMessage")
            if chat_id is None or c.body["chat_id"] == chat_id
        ]

    def delivered(self, chat_id: str | None = None) -> list[str]:
        """What reached the chat (accepted sends): texts, and photos as `[photo] caption`."""
        with self._lock:
            calls = list(self._delivered)
        return [
            c.body["text"] if c.method == "sendMessage"
            else f"[photo] {c.body.get('caption', '')}".rstrip()
            for c in calls
            if c.method in ("sendMessage", "sendPhoto")
            and (chat_id is None or c.body["chat_id"] == chat_id)
        ]

    @property
    def pending(self) -> int:
        """Updates queued and not yet fetched."""
        return self._queue.qsize() if self._queue is not None else 0

    @property
    def webhook(self) -> dict[str, str]:
        """The registered webhook (`url`, `secret_token`), empty if none."""
        with self._lock:
            return dict(self._webhook)

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait (without sleeping a fixed time) until `condition()` holds."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("condition not met in time")
            await asyncio.sleep(0.01)

    def wait_sync(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """`wait_for` for code outside the server's loop (subprocess tests)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            time.sleep(0.01)

    # --- the API -----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError:
            body = None
        with self._lock:  # every call is recorded, refused ones too
            self._calls.append(Call(method, body if isinstance(body, dict) else {}))
        if request.match_info["token"] != self.token:
            return _error(401, ERRORS[401])
        if method not in METHODS:
            return _error(404, ERRORS[404])
        if not isinstance(body, dict):
            return _error(400, "Bad Request: body is not a JSON object")
        if (scripted := self._next_script(method)) is not None:
            if isinstance(scripted.body, str):
                return web.Response(status=scripted.status, text=scripted.body)
            return web.json_response(scripted.body, status=scripted.status)
        missing = [name for name in METHODS[method] if body.get(name) in (None, "")]
        if missing:
            return _error(400, f"Bad Request: missing {', '.join(missing)}")
        if method in COUNTED and not self._take_quota():
            return _error(429, ERRORS[429])
        response: web.Response = await getattr(self, f"_m_{method}")(body)
        if method in COUNTED:
            with self._lock:
                if response.status != 200:
                    self.used -= 1  # a refused send does not use the quota
                elif method != "sendChatAction":
                    self._delivered.append(Call(method, body))
        return response

    def _take_quota(self) -> bool:
        with self._lock:
            if self.quota is not None and self.used >= self.quota:
                return False
            self.used += 1
            return True

    def _next_script(self, method: str) -> Scripted | None:
        with self._lock:
            queue = self._scripts.get(method)
            if not queue:
                return None
            head = queue[0]
            head.times -= 1
            if head.times <= 0:
                queue.pop(0)
            return head

    async def _m_getMe(self, body: dict[str, Any]) -> web.Response:
        return _ok({"id": self.token.split(":")[0], "account_name": "ocop_bot",
                    "account_type": "BASIC", "can_join_groups": False})

    async def _m_getUpdates(self, body: dict[str, Any]) -> web.Response:
        if self.replay_consumed and self._last_update is not None and self.pending == 0:
            return _ok(self._last_update)  # as measured: a consumed update comes back at once
        if self.webhook:
            return _error(400, "Bad Request: getUpdates does not work while a webhook is set")
        assert self._queue is not None
        try:
            wait = min(float(body.get("timeout", 30)), self.poll_cap)
        except (TypeError, ValueError):
            return _error(400, "Bad Request: timeout must be a number")
        getting = asyncio.ensure_future(self._queue.get())
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            done, _ = await asyncio.wait(
                {getting, closing}, timeout=wait, return_when=asyncio.FIRST_COMPLETED
            )
        except asyncio.CancelledError:  # the client went away (a killed bot): keep its update
            if getting.done() and not getting.cancelled():
                self._queue.put_nowait(getting.result())
            raise
        finally:
            closing.cancel()
            if not getting.done():
                getting.cancel()
        if getting in done:
            self._last_update = getting.result()
            return _ok(getting.result())
        return _error(408, ERRORS[408])

    async def _m_setWebhook(self, body: dict[str, Any]) -> web.Response:
        secret = str(body["secret_token"])
        if not 8 <= len(secret) <= 256:
            return _error(400, "Bad Request: secret_token must be 8-256 characters")
        if not str(body["url"]).startswith("https://"):
            return _error(400, "Bad Request: url must be https")
        with self._lock:
            self._webhook = {"url": str(body["url"]), "secret_token": secret}
        return _ok({"url": body["url"], "updated_at": int(time.time() * 1000)})

    async def _m_deleteWebhook(self, body: dict[str, Any]) -> web.Response:
        with self._lock:
            self._webhook = {}
        return _ok({"url": "", "updated_at": int(time.time() * 1000)})

    async def _m_getWebhookInfo(self, body: dict[str, Any]) -> web.Response:
        if not self.webhook:  # measured on a live bot: no webhook is a 404
            return _error(404, ERRORS[404])
        return _ok({"url": self.webhook["url"], "updated_at": 0})

    async def _m_sendMessage(self, body: dict[str, Any]) -> web.Response:
        if not isinstance(body["chat_id"], str):
            return _error(400, "Bad Request: chat_id must be a string")
        text = body["text"]
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            return _error(400, f"Bad Request: text must be 1-{MAX_TEXT} characters")
        return _sent()

    async def _m_sendPhoto(self, body: dict[str, Any]) -> web.Response:
        if not str(body["photo"]).startswith(("http://", "https://")):
            return _error(400, "Bad Request: photo must be a URL")
        caption = body.get("caption")
        caption_fits = isinstance(caption, str) and 1 <= len(caption) <= MAX_TEXT
        if caption is not None and not caption_fits:
            return _error(400, f"Bad Request: caption must be 1-{MAX_TEXT} characters")
        if self.photo_delay:
            await asyncio.sleep(self.photo_delay)  # Zalo fetches the photo before answering
        return _sent()

    async def _m_sendSticker(self, body: dict[str, Any]) -> web.Response:
        return _sent()

    async def _m_sendChatAction(self, body: dict[str, Any]) -> web.Response:
        if body["action"] not in ("typing", "upload_photo"):
            return _error(400, "Bad Request: unknown action")
        return _ok(True)

    # --- running it beside a subprocess -------------------------------------------------

    @contextlib.contextmanager
    def in_thread(self) -> Iterator[FakeZalo]:
        """Serve from a background thread with its own event loop (for subprocess tests)."""
        loop = asyncio.new_event_loop()
        started = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self.start())
            started.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        thread = threading.Thread(target=serve, name="fake-zalo", daemon=True)
        thread.start()
        if not started.wait(10):
            raise TimeoutError("fake Zalo server did not start")
        try:
            yield self
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _sent() -> web.Response:
    return _ok({"message_id": f"s{next(_ids):012x}", "date": int(time.time() * 1000)})


def _error(code: int, description: str) -> web.Response:
    # The idle long poll answers HTTP 200 with error_code 408 in the body; other errors carry
    # their code as the HTTP status too. The client reads the body either way.
    status = 200 if code == 408 else code
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=status
    )
