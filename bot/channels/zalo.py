"""The Zalo channel: updates → `Incoming`, replies → numbered plain text, long polling."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.channels.present import Shown, numbered_text, present, type_hint
from bot.channels.zalo_api import MAX_TEXT, TOKEN_REFUSED, ZaloApi, ZaloError
from bot.channels.zalo_updates import CHANNEL, is_private, to_incoming, unwrap
from bot.config import TokenRefused
from bot.health import Health
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import InputKind, Outcome
from handlers.engine.locks import KeyedLocks
from messages import Format, Renderer
from messages.split import split_plain, utf16_len

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

__all__ = ["CHANNEL", "ZaloBot", "is_private", "run_zalo", "to_incoming", "unwrap"]

MAX_BACKOFF = 60.0
MIN_POLL_GAP = 1.0  # seconds between two getUpdates, at least
SERVER_ERROR = 403  # the docs' error table: 403 is "Internal server error", not "blocked"
TYPING_FIRST_WAIT = 1.0  # seconds the reply waits, at most, for the first "typing…"


class ZaloBot:
    """Answers Zalo updates through the dispatcher, from long polling or from the webhook."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        renderer: Renderer,
        api: ZaloApi,
        *,
        poll_timeout: int = 30,
        typing_every: float = 4.0,
        max_in_flight: int = 32,
        retry_base: float = 0.5,
        poll_gap: float = MIN_POLL_GAP,
        typing_allowed: Callable[[], bool] = lambda: True,
        on_quota: Callable[[], Awaitable[object]] | None = None,
        health: Health | None = None,
    ) -> None:
        self.dispatcher, self.renderer, self.api = dispatcher, renderer, api
        self.health = health or Health()
        self.poll_timeout = poll_timeout
        self.typing_every = typing_every
        self.retry_base = retry_base
        self.poll_gap = poll_gap  # at least this long between two getUpdates
        self.typing_allowed = typing_allowed  # False when the month's quota runs low
        self.on_quota = on_quota  # Zalo said the quota is used up (the meter pauses, tells)
        self.handled = 0  # updates answered (for tests and health checks)
        self._chats = KeyedLocks()
        self._slots = asyncio.Semaphore(max_in_flight)
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle_update(self, update: dict[str, Any]) -> Outcome | None:
        """Answer one update: typing, dispatcher, replies; a re-delivered one changes nothing.

        Zalo has no acknowledgement: a consumed update may come back, also after a restart.
        One handled before is dropped before anything is sent (no typing, no question again).
        """
        event = to_incoming(update)
        if event is None:
            log.info("zalo update without a chat ignored: %s", update.get("event_name"))
            return None
        if not is_private(update):  # profiles and menus are personal: never in a group
            if event.kind is InputKind.TEXT and event.text.startswith("/"):
                text = self.renderer.render("vi", "errors/private_only", Format.PLAIN)
                await self._send(self.api.send_message, event.chat_id, text)
            self.handled += 1
            return None
        started = time.perf_counter()
        async with self._chats.hold(event.chat_id):
            if await self.dispatcher.already_handled(event.update_key):
                log.debug("zalo update %s came again; dropped", event.update_key)
                self.handled += 1
                return Outcome(duplicate=True, chat_id=event.chat_id)
            shown = asyncio.Event()
            typing = asyncio.create_task(self._typing(event.chat_id, shown))
            try:
                outcome = await self.dispatcher.handle(event)
            finally:
                # 'typing…' goes out once before the reply, however quick the answer was
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(shown.wait(), TYPING_FIRST_WAIT)
                typing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await typing
            if not outcome.duplicate:
                await self.deliver(outcome)
        self.health.answered("zalo", time.perf_counter() - started)
        self.handled += 1
        return outcome

    async def deliver(self, outcome: Outcome) -> None:
        """Send an outcome's replies as plain text with numbered choices, split under 2 000.

        A reply with a photo is one message: the photo with its text as the caption.
        """
        chat_id = outcome.chat_id

        def fits(item: Shown) -> bool:
            return utf16_len(self._text(outcome.locale, item)) <= MAX_TEXT

        for item in present(self.renderer, outcome, Format.PLAIN, fits=fits):
            parts = split_plain(self._text(outcome.locale, item), MAX_TEXT)
            photo = item.reply.photo
            if photo and photo.startswith(("http://", "https://")):
                caption = parts.pop(0) if parts else ""
                await self._send(self.api.send_photo, chat_id, photo, caption)
            for part in parts:
                await self._send(self.api.send_message, chat_id, part)

    def _text(self, locale: str, item: Shown) -> str:
        """A reply as Zalo shows it: numbered choices, and a note in place of a file."""
        text = numbered_text(item, type_hint(self.renderer, locale, item))
        document = item.reply.document
        if document is not None and not document.filename.endswith(".ics"):  # the calendar entry
            # is a convenience: the reply already says the date, and no note sends people away
            note = self.renderer.render(
                locale,
                "zalo/document_unavailable",
                Format.PLAIN,
                filename=document.filename,
            )
            text = f"{text}\n\n{note}"
        return text

    async def _send(self, send: Any, chat_id: str, *values: str, attempts: int = 3) -> None:
        """Send, retrying server errors (403 is one); never again after a timeout or a 429."""
        for attempt in range(1, attempts + 1):
            try:
                await send(chat_id, *values)
                return
            except ZaloError as error:
                # A timed-out send may have been delivered (Zalo fetches photos slowly), and a
                # used-up quota does not come back in seconds: neither is sent again.
                retry = not error.timed_out and not error.quota and (
                    error.code in (0, SERVER_ERROR) or error.code >= 500
                )
                if not retry or attempt == attempts:
                    log.warning("zalo reply to %s not sent: %s", chat_id, error)
                    if error.quota and self.on_quota is not None:
                        await self.on_quota()
                    return
                await asyncio.sleep(min(self.retry_base * 2**attempt, 5.0))

    async def _typing(self, chat_id: str, shown: asyncio.Event) -> None:
        """Keep 'typing…' shown until the reply is ready; `shown` is set after the first try."""
        while True:
            if self.typing_allowed():  # each one counts against the month's quota
                try:
                    await self.api.send_chat_action(chat_id)
                except ZaloError as error:
                    log.debug("typing not shown: %s", error)
            shown.set()
            await asyncio.sleep(self.typing_every)

    async def run_polling(self, stop: asyncio.Event | None = None) -> None:
        """Long-poll getUpdates (one update per call) until `stop` is set or cancelled.

        Polls are at least `poll_gap` apart: a live bot was seen to answer at once with the
        same consumed update, which would otherwise make a dozen requests a second.
        """
        stop = stop or asyncio.Event()
        me = await self._connect()
        log.info("zalo polling as %s", me.get("account_name") or me.get("id"))
        try:  # polling is the default: a webhook left from webhook mode would block it
            await self.api.delete_webhook()
        except ZaloError as error:
            log.warning("zalo deleteWebhook failed: %s", error)
        backoff = 1.0
        loop = asyncio.get_running_loop()
        try:
            while not stop.is_set():
                started = loop.time()
                try:
                    update = await self.api.get_update(self.poll_timeout)
                    self.health.channel_ok("zalo", polling=True)
                except ZaloError as error:
                    if error.code in TOKEN_REFUSED and error.code != 404:
                        raise TokenRefused("ZALO_BOT_TOKEN", "Zalo") from None
                    log.warning("zalo getUpdates failed: %s; again in %.0fs", error, backoff)
                    await _wait(stop, backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)
                    continue
                backoff = 1.0
                if update is not None:
                    await self._slots.acquire()
                    task = asyncio.create_task(self._run_one(update))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                await _wait(stop, self.poll_gap - (loop.time() - started))
        finally:
            await self.drain()

    async def _connect(self) -> dict[str, Any]:
        """getMe until Zalo answers; a refused token (401, or 404) stops the bot."""
        backoff = 1.0
        while True:
            try:
                return await self.api.get_me()
            except ZaloError as error:
                if error.code in TOKEN_REFUSED:
                    raise TokenRefused("ZALO_BOT_TOKEN", "Zalo") from None
                log.warning("zalo getMe failed: %s; again in %.0fs", error, backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)

    async def _run_one(self, update: dict[str, Any]) -> None:
        try:
            await self.handle_update(update)
        except Exception:
            log.exception("zalo update failed")
        finally:
            self._slots.release()

    async def drain(self) -> None:
        """Wait for the updates being answered."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    """Wait `seconds`, or less if `stop` is set."""
    if seconds > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)


async def run_zalo(core: Core) -> None:
    """Run the Zalo channel by long polling until cancelled."""
    from bot.channels.zalo_quota import meter_for, zalo_api

    meter = meter_for(core)
    await meter.usage()  # the month's figure so far: "typing…" stops near the quota
    api = zalo_api(core, meter)
    bot = ZaloBot(core.dispatcher, core.renderer, api,
                  poll_timeout=core.settings.zalo_poll_timeout,
                  typing_allowed=meter.typing_allowed, on_quota=meter.used_up,
                  health=core.health)
    try:
        await bot.run_polling()
    finally:
        await api.aclose()
