"""The Telegram channel: python-telegram-bot's Application, long polling, commands, webhook entry.

We poll with our own loop rather than PTB's Updater: the Updater confirms a batch (the next
getUpdates offset) before its updates are handled, so a `kill -9` would lose them. Here an
update is confirmed only after it and every update before it have been handled and their
transactions committed (`UpdateWindow`); the next updates are fetched and started meanwhile.
A re-delivered update is recognised by the dispatcher (`update_key`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import Any, cast

from telegram import BotCommand, CallbackQuery, Update
from telegram.error import Conflict, InvalidToken, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    TypeHandler,
)

from bot.channels.telegram_http import AiohttpRequest
from bot.channels.telegram_io import (
    deliver,
    incoming_from,
    is_private,
    locale_hint,
    send_text,
    toast_text,
)
from bot.channels.telegram_keyboards import Keyboards
from bot.channels.telegram_window import UpdateWindow
from bot.config import TokenRefused
from bot.core import Core
from handlers.engine.feature import listed_commands
from handlers.engine.locks import KeyedLocks
from handlers.engine.recent import RecentKeys
from messages import Format

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
COMMAND_LANGUAGES = (("vi", None), ("en", "en"))  # (locale, language_code); vi is the default
MAX_BACKOFF = 30.0
BATCH = 100  # updates per getUpdates (the most Telegram gives)
FETCH_READ_TIMEOUT = 5.0  # seconds, on top of the long poll's own
REFETCH_PAUSE = 0.05  # seconds between fetches while updates are in hand
ANSWERED_MEMORY = 2048  # callback query ids answered lately (re-deliveries in a batch)


def user_key(update: object) -> int | None:
    """Whose update this is: the Telegram user id (the chat id when there is no user)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


class PerUserProcessor(BaseUpdateProcessor):
    """One user's updates one at a time, in arrival order; different users in parallel."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks = KeyedLocks()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the user's earlier updates, then run this one."""
        key = user_key(update)
        if key is None:
            await coroutine
            return
        async with self._locks.hold(str(key)):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


class TelegramChannel:
    """The bot on Telegram: build, start (polling or not), stop, and handle raw updates."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.processor = PerUserProcessor()
        self.app = self.build()
        self._poller: asyncio.Task[None] | None = None
        self._answered = RecentKeys(ANSWERED_MEMORY)
        self._unfinished: set[int] = set()  # updates neither handled nor answered: not confirmed
        self.keyboards = Keyboards(core.db)  # pressed menus put away, the phone keyboard removed

    def build(self) -> Application:
        """The PTB Application pointed at the configured Bot API server."""
        settings = self.core.settings
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        app = (
            ApplicationBuilder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(settings.telegram_api_base_url)
            .request(AiohttpRequest())
            .get_updates_request(AiohttpRequest(pool_size=1))
            .updater(None)
            .concurrent_updates(self.processor)
            .build()
        )
        app.add_handler(TypeHandler(Update, self.on_update))
        app.add_error_handler(self.on_error)
        return app

    async def start(self, *, polling: bool = True) -> None:
        """Connect (getMe), publish the commands, and poll unless a webhook feeds us."""
        backoff = 1.0
        while True:
            try:
                await self.app.initialize()
                break
            except InvalidToken:  # its message carries the token: never log it
                raise TokenRefused("TELEGRAM_BOT_TOKEN", "Telegram") from None
            except TelegramError as error:
                log.warning("cannot reach Telegram (%s); retrying in %.0f s", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
        await self.app.start()
        await self.publish_commands()
        if polling:
            self._poller = asyncio.create_task(self._poll(), name="telegram-poll")
        log.info("telegram: running as @%s", self.app.bot.username)

    async def stop(self) -> None:
        """Stop polling and close the Application."""
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    async def wait(self) -> None:
        """Wait until polling ends (it ends only when stopped or on a bad token)."""
        if self._poller is not None:
            await self._poller

    async def process_update(self, data: dict[str, Any]) -> None:
        """Handle one raw update (a webhook body) fully, in order with the user's other updates."""
        update = Update.de_json(data, self.app.bot)
        await self.processor.process_update(update, self.app.process_update(update))
        if update.update_id in self._unfinished:  # a non-200 answer makes Telegram send it again
            self._unfinished.discard(update.update_id)
            raise RuntimeError(f"update {update.update_id} was not handled")

    async def publish_commands(self) -> None:
        """setMyCommands: Vietnamese descriptions by default, English for English clients."""
        renderer = self.core.renderer
        for locale, language_code in COMMAND_LANGUAGES:
            commands = [
                BotCommand(name, renderer.label(locale, f"bot_command.{name}"))
                for name in listed_commands(self.core.features)
            ]
            try:
                await self.app.bot.set_my_commands(commands, language_code=language_code)
            except TelegramError:
                log.warning("setMyCommands (%s) failed", locale, exc_info=True)

    async def _poll(self) -> None:
        """Long-poll getUpdates; confirm updates only once they have been handled or answered.

        The next batch is fetched while the current one is handled: getUpdates is asked from
        the first update not yet handled (everything before it is confirmed), the updates
        already being handled are skipped, and the new ones start at once."""
        timeout = max(0, int(self.core.settings.telegram_poll_timeout))
        try:
            await deliver(lambda: self.app.bot.delete_webhook(drop_pending_updates=False),
                          "deleteWebhook")
        except TelegramError:  # getUpdates will say why (409 while a webhook is set)
            log.warning("telegram: deleteWebhook failed", exc_info=True)
        window = UpdateWindow()
        backoff = 1.0
        try:
            while True:
                try:
                    fetched = await self._fetch(window.offset, 0 if window.busy else timeout)
                    self.core.health.channel_ok("telegram", polling=True)
                    updates = [Update.de_json(data, self.app.bot)
                               for data in window.fresh(fetched)]
                except TimedOut:
                    continue
                except InvalidToken:
                    raise TokenRefused("TELEGRAM_BOT_TOKEN", "Telegram") from None
                except Exception as error:
                    _poll_failed(error, backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)
                    continue
                for update in updates:
                    window.start(update, asyncio.create_task(self.processor.process_update(
                        update, self.app.process_update(update))))
                await window.settle(BATCH // 2, REFETCH_PAUSE)
                if window.settled(self._unfinished):  # fetched again (with what follows) later
                    log.warning("telegram: update %s not handled; asking for it again in %.0f s",
                                window.offset, backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)
                else:
                    backoff = 1.0
        finally:
            await window.cancel()

    async def _fetch(self, offset: int | None, timeout: int) -> list[dict[str, Any]]:
        """getUpdates as received: the updates in hand come back too, and are not read again."""
        data = {"offset": offset, "timeout": timeout, "limit": BATCH,
                "allowed_updates": ALLOWED_UPDATES}
        # Bot.get_updates would build every update of the answer; only the new ones are built.
        result = await self.app.bot._post(  # private, but the version is pinned
            "getUpdates", {k: v for k, v in data.items() if v is not None},
            read_timeout=FETCH_READ_TIMEOUT + timeout,
        )
        return cast("list[dict[str, Any]]", result)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Turn an update into an event, dispatch it, answer the button, send the replies."""
        query, started = update.callback_query, asyncio.get_running_loop().time()
        try:
            if not is_private(update):
                await self._not_private(update)
                return
            event = incoming_from(update)
            if event is None:
                return
            try:
                outcome = await self.core.dispatcher.handle(event)
            except BaseException:  # neither handled nor answered: must not be confirmed
                self._unfinished.add(update.update_id)
                raise
            if query is not None:
                answering, query = query, None
                await self._answer(answering, toast_text(self.core.renderer, outcome))
                await self.keyboards.settle(context.bot, self.core.renderer, answering, outcome)
            await self.keyboards.send(context.bot, self.core.renderer, outcome, event.chat_id)
        finally:
            self.core.health.answered("telegram", asyncio.get_running_loop().time() - started)
            if query is not None:  # answered even when something above failed
                await self._answer(query, None)

    async def _answer(self, query: CallbackQuery, text: str | None) -> None:
        """Answer a callback query once; a query answered before (re-delivered) is let go."""
        if query.id in self._answered:
            return
        self._answered.add(query.id)
        try:
            await deliver(lambda: query.answer(text), "answerCallbackQuery")
        except TelegramError as error:  # too old, or answered before a restart
            log.info("callback query %s not answered: %s", query.id, error)

    async def _not_private(self, update: Update) -> None:
        """In a group, say once per command that the bot works in private chats only."""
        message = update.message
        chat = update.effective_chat
        if message is None or chat is None or not (message.text or "").startswith("/"):
            return
        text = self.core.renderer.render(locale_hint(update), "errors/private_only", Format.HTML)
        await send_text(self.app.bot, str(chat.id), text)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a failed update with its traceback; polling goes on."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("telegram update %s failed", update_id, exc_info=context.error)


def _poll_failed(error: Exception, backoff: float) -> None:
    """Say why getUpdates failed: a line for what an operator can act on, else a traceback."""
    if isinstance(error, Conflict):  # two processes on one token split the users' updates
        log.error("telegram: %s. Is another ocop-bot running with this token? "
                  "Retrying in %.0f s", error, backoff)
    elif isinstance(error, TelegramError):  # the network is down, Telegram answers 5xx
        log.warning("telegram: getUpdates failed (%s); retrying in %.0f s", error, backoff)
    else:
        log.exception("telegram: getUpdates failed; retrying in %.0f s", backoff)


async def run_telegram(core: Core) -> None:
    """Run the Telegram channel with long polling until cancelled."""
    channel = TelegramChannel(core)
    try:
        await channel.start()
        await channel.wait()
    finally:
        await channel.stop()
