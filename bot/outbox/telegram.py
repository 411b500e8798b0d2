"""The outbox Transport for Telegram: python-telegram-bot's `Bot`, errors mapped to SendStatus."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from typing import Any

from telegram import Bot, InputFile
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channels.telegram_http import AiohttpRequest
from bot.channels.telegram_io import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    cannot_parse,
    plain_parts,
    retry_after_seconds,
)
from bot.config import TokenRefused
from bot.outbox.transport import SendResult, SendStatus
from messages.render import to_plain
from messages.split import split_html, split_plain, utf16_len

log = logging.getLogger(__name__)

LATER_PART_WAITS = 3  # 429s waited out in place once part of a text is out
MAX_PART_WAIT = 30.0  # seconds


def classify(exc: Exception) -> SendResult:
    """Map a python-telegram-bot error to what the sender should do next."""
    if isinstance(exc, RetryAfter):
        return SendResult(SendStatus.RETRY_AFTER, retry_after=retry_after_seconds(exc),
                          error=str(exc))
    if isinstance(exc, Forbidden):
        return SendResult(SendStatus.BLOCKED, error=str(exc))
    if isinstance(exc, BadRequest | ChatMigrated):
        return SendResult(SendStatus.FAILED, error=str(exc))
    if isinstance(exc, TimedOut | NetworkError):
        return SendResult(SendStatus.TRANSIENT, error=str(exc) or type(exc).__name__)
    if isinstance(exc, TelegramError):
        return SendResult(SendStatus.TRANSIENT, error=str(exc))
    raise exc


def _parse_mode(payload: dict[str, Any]) -> str | None:
    return ParseMode.HTML if payload.get("format", "html") == "html" else None


class TelegramTransport:
    """Sends outbox payloads with the Bot API at `base_url` (the fake one in tests)."""

    channel = "telegram"

    def __init__(self, token: str, base_url: str, pool_size: int = 8) -> None:
        request = AiohttpRequest(
            pool_size=pool_size, read_timeout=15.0, write_timeout=15.0,
            connect_timeout=10.0, pool_timeout=30.0,
        )
        self.bot = Bot(token=token, base_url=base_url, request=request)
        # Queue requests here rather than inside the client's pool: a send waits its turn
        # before its timeouts start.
        self._slots = asyncio.Semaphore(pool_size)
        self.connections = pool_size  # requests at once: the sender paces within these

    async def start(self) -> None:
        """Open the HTTP connection pool; an unreachable Telegram is retried row by row."""
        try:
            await self.bot.initialize()
        except InvalidToken:
            raise TokenRefused("TELEGRAM_BOT_TOKEN", "Telegram") from None
        except TelegramError as error:  # the network is down: sends will be retried
            log.warning("telegram sender: Telegram not reachable yet (%s)", error)

    async def stop(self) -> None:
        """Close the HTTP connection pool."""
        await self.bot.shutdown()

    async def send(self, chat_id: str, payload: dict[str, Any]) -> SendResult:
        """Send a text in parts under 4096 (cut between entities and tags), plain if refused;
        with a `document`, the file goes first with the text as its caption."""
        html_mode = _parse_mode(payload) is not None
        text = payload["text"]
        parts = split_html(text, TEXT_LIMIT) if html_mode else split_plain(text, TEXT_LIMIT)
        message_id: str | None = None
        document = payload.get("document")
        try:
            content = base64.b64decode(document["data_b64"], validate=True) if document else b""
        except (KeyError, TypeError, binascii.Error) as bad:
            return SendResult(SendStatus.FAILED, error=f"unreadable document: {bad!r}")
        try:
            async with self._slots:
                if document:
                    message_id = await self._send_file(chat_id, document["filename"], content,
                                                       text, html_mode)
                    if utf16_len(text) <= CAPTION_LIMIT:
                        parts = []  # the text went as the caption
                for part in parts:
                    sent = await self._send_part(chat_id, part, html_mode, message_id is not None)
                    message_id = message_id or sent
        except Exception as exc:
            return classify(exc)
        return SendResult(SendStatus.SENT, message_id=message_id)

    async def _send_file(
        self, chat_id: str, filename: str, content: bytes, text: str, html_mode: bool
    ) -> str:
        """The file, captioned with the text if it fits (plain if its HTML is refused)."""
        caption = text if utf16_len(text) <= CAPTION_LIMIT else None
        mode = ParseMode.HTML if html_mode and caption else None
        try:
            message = await self.bot.send_document(
                chat_id=chat_id, document=InputFile(content, filename=filename),
                caption=caption, parse_mode=mode,
            )
        except BadRequest as refused:
            if mode is None or not cannot_parse(refused):
                raise
            log.error("Telegram could not parse our caption (%s); sending it plain", refused)
            message = await self.bot.send_document(
                chat_id=chat_id, document=InputFile(content, filename=filename),
                caption=split_plain(to_plain(text), CAPTION_LIMIT)[0],
            )
        return str(message.message_id)

    async def _send_part(self, chat_id: str, part: str, html_mode: bool, started: bool) -> str:
        """One part as HTML; as plain text (in parts) if Telegram cannot parse its HTML."""
        if html_mode:
            try:
                return await self._send_one(chat_id, part, ParseMode.HTML, started)
            except BadRequest as refused:
                if not cannot_parse(refused):
                    raise
                log.error("Telegram could not parse our HTML (%s); sending it as plain text",
                          refused)
        else:
            return await self._send_one(chat_id, part, None, started)
        first = ""
        for piece in plain_parts(part):
            sent = await self._send_one(chat_id, piece, None, started)
            first, started = first or sent, True
        return first

    async def _send_one(self, chat_id: str, text: str, mode: str | None, started: bool) -> str:
        """One sendMessage; once part of the text is out, flood control is waited out here.

        Handing the row back to the sender then would send the parts already out again.
        """
        waits = 0
        while True:
            try:
                message = await self.bot.send_message(chat_id=chat_id, text=text, parse_mode=mode)
                return str(message.message_id)
            except RetryAfter as flood:
                if not started or waits >= LATER_PART_WAITS:
                    raise
                waits += 1
                await asyncio.sleep(min(retry_after_seconds(flood), MAX_PART_WAIT))

    async def edit(self, chat_id: str, message_id: str, payload: dict[str, Any]) -> SendResult:
        """Replace the text of a message sent before (the officer's progress message)."""
        html_mode = _parse_mode(payload) is not None
        split = split_html if html_mode else split_plain
        text = (split(payload["text"], TEXT_LIMIT) or [payload["text"]])[0]
        try:
            async with self._slots:
                try:
                    await self._edit(chat_id, message_id, text, _parse_mode(payload))
                except BadRequest as refused:
                    if not (html_mode and cannot_parse(refused)):
                        raise
                    await self._edit(chat_id, message_id, plain_parts(text)[0], None)
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return SendResult(SendStatus.SENT, message_id=message_id)
            return classify(exc)
        except Exception as exc:
            return classify(exc)
        return SendResult(SendStatus.SENT, message_id=message_id)

    async def _edit(self, chat_id: str, message_id: str, text: str, mode: str | None) -> None:
        await self.bot.edit_message_text(
            text=text, chat_id=chat_id, message_id=int(message_id), parse_mode=mode
        )
