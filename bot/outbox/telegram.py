"""The outbox Transport for Telegram: python-telegram-bot's `Bot`, errors mapped to SendStatus."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot
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
from telegram.request import HTTPXRequest

from bot.channels.present import split_text
from bot.channels.telegram_io import retry_after_seconds
from bot.config import TokenRefused
from bot.outbox.transport import SendResult, SendStatus

log = logging.getLogger(__name__)

TELEGRAM_TEXT_LIMIT = 4096


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
        request = HTTPXRequest(
            connection_pool_size=pool_size, read_timeout=15.0, write_timeout=15.0,
            connect_timeout=10.0, pool_timeout=30.0,
        )
        self.bot = Bot(token=token, base_url=base_url, request=request)
        # Queue requests here rather than inside httpcore's pool, whose queue scans are slow.
        self._slots = asyncio.Semaphore(pool_size)

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
        """Send a text (split at line boundaries above 4096 characters) to one chat."""
        parts = split_text(payload["text"], TELEGRAM_TEXT_LIMIT)
        message_id: str | None = None
        try:
            async with self._slots:
                for part in parts:
                    message = await self.bot.send_message(
                        chat_id=chat_id, text=part, parse_mode=_parse_mode(payload)
                    )
                    message_id = message_id or str(message.message_id)
        except Exception as exc:
            return classify(exc)
        return SendResult(SendStatus.SENT, message_id=message_id)

    async def edit(self, chat_id: str, message_id: str, payload: dict[str, Any]) -> SendResult:
        """Replace the text of a message sent before (the officer's progress message)."""
        try:
            async with self._slots:
                await self.bot.edit_message_text(
                    text=payload["text"][:TELEGRAM_TEXT_LIMIT], chat_id=chat_id,
                    message_id=int(message_id), parse_mode=_parse_mode(payload),
                )
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return SendResult(SendStatus.SENT, message_id=message_id)
            return classify(exc)
        except Exception as exc:
            return classify(exc)
        return SendResult(SendStatus.SENT, message_id=message_id)
