"""The Zalo channel: updates → `Incoming`, replies → numbered plain text, long polling."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.channels.present import Shown, numbered_text, present
from bot.channels.zalo_api import MAX_TEXT, ZaloApi, ZaloError
from bot.config import TokenRefused
from bot.health import Health
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Attachment, Incoming, InputKind, Outcome
from handlers.engine.locks import KeyedLocks
from messages import Format, Renderer
from messages.split import split_plain, utf16_len

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

CHANNEL = "zalo"
TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
MAX_BACKOFF = 60.0
TYPING_FIRST_WAIT = 1.0  # seconds the reply waits, at most, for the first "typing…"


def unwrap(body: Any) -> dict[str, Any] | None:
    """The update inside a webhook body, flat or `{"ok": …, "result": {…}}`; None if neither."""
    if isinstance(body, dict) and "result" in body and "event_name" not in body:
        body = body["result"]
    if not isinstance(body, dict) or not isinstance(body.get("event_name"), str):
        return None
    message = body.get("message")
    if message is not None and not isinstance(message, dict):
        return None
    return body


def to_incoming(update: dict[str, Any], now: datetime | None = None) -> Incoming | None:
    """The `Incoming` for a Zalo update; None if it names no chat we could answer."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat, sender = message.get("chat"), message.get("from")
    chat_id = str(chat.get("id") or "") if isinstance(chat, dict) else ""
    sender_id = str(sender.get("id") or "") if isinstance(sender, dict) else ""
    if not chat_id or not sender_id or (isinstance(sender, dict) and sender.get("is_bot")):
        return None
    message_id = message.get("message_id")
    event = update.get("event_name")
    kind, text, attachment = InputKind.OTHER, "", None
    if event == TEXT_EVENT and isinstance(message.get("text"), str):
        kind, text = InputKind.TEXT, message["text"].strip()
    elif event == IMAGE_EVENT and isinstance(message.get("photo_url"), str):
        url = message["photo_url"]
        kind, attachment = InputKind.PHOTO, Attachment(file_id=url, url=url, mime="image/jpeg")
        text = str(message.get("caption") or "").strip()
    return Incoming(
        channel=CHANNEL,
        external_id=sender_id,
        chat_id=chat_id,
        kind=kind,
        at=_when(message.get("date")) or now or datetime.now(UTC),
        text=text,
        attachment=attachment,
        update_key=f"zalo:{message_id}" if message_id else None,
        display_name=str(sender.get("display_name") or "") if isinstance(sender, dict) else "",
    )


def is_private(update: dict[str, Any]) -> bool:
    """Whether the update comes from a one-to-one chat (the only kind the bot talks in)."""
    message = update.get("message")
    chat = message.get("chat") if isinstance(message, dict) else None
    kind = chat.get("chat_type") if isinstance(chat, dict) else None
    return kind is None or str(kind).upper() == "PRIVATE"


def _when(millis: Any) -> datetime | None:
    if not isinstance(millis, int | float) or millis <= 0:
        return None
    return datetime.fromtimestamp(millis / 1000, UTC)


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
        health: Health | None = None,
    ) -> None:
        self.dispatcher, self.renderer, self.api = dispatcher, renderer, api
        self.health = health or Health()
        self.poll_timeout = poll_timeout
        self.typing_every = typing_every
        self.retry_base = retry_base
        self.handled = 0  # updates answered (for tests and health checks)
        self._chats = KeyedLocks()
        self._slots = asyncio.Semaphore(max_in_flight)
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle_update(self, update: dict[str, Any]) -> Outcome | None:
        """Answer one update: typing, dispatcher, replies; a re-delivered one changes nothing."""
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
        """Send an outcome's replies as plain text with numbered choices, split under 2 000."""
        chat_id = outcome.chat_id

        def fits(item: Shown) -> bool:
            return utf16_len(self._text(outcome.locale, item)) <= MAX_TEXT

        for item in present(self.renderer, outcome, Format.PLAIN, fits=fits):
            photo = item.reply.photo
            if photo and photo.startswith(("http://", "https://")):
                await self._send(self.api.send_photo, chat_id, photo)
            for part in split_plain(self._text(outcome.locale, item), MAX_TEXT):
                await self._send(self.api.send_message, chat_id, part)

    def _text(self, locale: str, item: Shown) -> str:
        """A reply as Zalo shows it: numbered choices, and a note in place of a file."""
        text = numbered_text(item)
        if item.reply.document is not None:
            note = self.renderer.render(
                locale,
                "zalo/document_unavailable",
                Format.PLAIN,
                filename=item.reply.document.filename,
            )
            text = f"{text}\n\n{note}"
        return text

    async def _send(self, send: Any, chat_id: str, value: str, attempts: int = 3) -> None:
        for attempt in range(1, attempts + 1):
            try:
                await send(chat_id, value)
                return
            except ZaloError as error:
                retry = error.code in (0, 429) or error.code >= 500
                if not retry or attempt == attempts:
                    log.warning("zalo reply to %s not sent: %s", chat_id, error)
                    return
                await asyncio.sleep(min(error.retry_after or self.retry_base * 2**attempt, 5.0))

    async def _typing(self, chat_id: str, shown: asyncio.Event) -> None:
        """Keep 'typing…' shown until the reply is ready; `shown` is set after the first try."""
        while True:
            try:
                await self.api.send_chat_action(chat_id)
            except ZaloError as error:
                log.debug("typing not shown: %s", error)
            shown.set()
            await asyncio.sleep(self.typing_every)

    async def run_polling(self, stop: asyncio.Event | None = None) -> None:
        """Long-poll getUpdates (one update per call) until `stop` is set or cancelled."""
        stop = stop or asyncio.Event()
        me = await self._connect()
        log.info("zalo polling as %s", me.get("account_name") or me.get("id"))
        try:  # polling is the default: a webhook left from webhook mode would block it
            await self.api.delete_webhook()
        except ZaloError as error:
            log.warning("zalo deleteWebhook failed: %s", error)
        backoff = 1.0
        try:
            while not stop.is_set():
                try:
                    update = await self.api.get_update(self.poll_timeout)
                    self.health.channel_ok("zalo", polling=True)
                except ZaloError as error:
                    log.warning("zalo getUpdates failed: %s; again in %.0fs", error, backoff)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)
                    continue
                backoff = 1.0
                if update is not None:
                    await self._slots.acquire()
                    task = asyncio.create_task(self._run_one(update))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
        finally:
            await self.drain()

    async def _connect(self) -> dict[str, Any]:
        """getMe until Zalo answers; a refused token stops the bot (retrying cannot help)."""
        backoff = 1.0
        while True:
            try:
                return await self.api.get_me()
            except ZaloError as error:
                if error.code == 401:
                    raise TokenRefused("ZALO_BOT_TOKEN", "Zalo") from None
                log.warning("cannot reach Zalo (%s); retrying in %.0f s", error, backoff)
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


async def run_zalo(core: Core) -> None:
    """Run the Zalo channel by long polling until cancelled."""
    settings = core.settings
    assert settings.zalo_bot_token is not None
    api = ZaloApi(settings.zalo_bot_token.get_secret_value(), settings.zalo_api_base_url)
    bot = ZaloBot(core.dispatcher, core.renderer, api, poll_timeout=settings.zalo_poll_timeout,
                  health=core.health)
    try:
        await bot.run_polling()
    finally:
        await api.aclose()
