"""The outbox sender's way to deliver to Zalo, with each API error sorted into a SendStatus."""

from __future__ import annotations

import time
from typing import Any

from bot.channels.zalo_api import MAX_TEXT, ZaloApi, ZaloError
from bot.outbox.transport import SendResult, SendStatus
from messages.render import to_plain
from messages.split import split_plain

# Zalo does not document its error codes. These answers mean the user cannot be reached
# (blocked or left the bot, or the account is gone), like Telegram's 403.
UNREACHABLE_CODES = frozenset({403})
UNREACHABLE_WORDS = (
    "block",
    "unfollow",
    "not follow",
    "user not found",
    "not found user",
    "user is not exist",
    "user does not exist",
    "unreachable",
    "deactivated",
    "not allowed to send",
)
DEFAULT_RETRY_AFTER = 10.0  # seconds to wait on a 429 that does not say how long


def classify(error: ZaloError) -> SendResult:
    """What the sender should do after this error."""
    text = f"{error.code} {error.description}"[:300]
    words = error.description.casefold()
    if error.code in UNREACHABLE_CODES or any(word in words for word in UNREACHABLE_WORDS):
        return SendResult(SendStatus.BLOCKED, error=text)
    if error.code == 429 or "too many" in words or "rate limit" in words:
        wait = error.retry_after or DEFAULT_RETRY_AFTER
        return SendResult(SendStatus.RETRY_AFTER, retry_after=wait, error=text)
    if error.code in (0, 401, 408) or error.code >= 500:
        # 0 = timeout or network; 401 = a wrong token, which an operator can fix: keep the row.
        return SendResult(SendStatus.TRANSIENT, error=text)
    return SendResult(SendStatus.FAILED, error=text)


class ZaloTransport:
    """Sends outbox payloads (`{"text", "format", "photo"?}`) as Zalo messages."""

    channel = "zalo"
    supports_edit = False  # Zalo cannot edit a sent message; `edit` sends a new one

    def __init__(self, api: ZaloApi, edit_interval: float = 60.0) -> None:
        self.api = api
        self.edit_interval = edit_interval  # at most one progress message per this many seconds
        self._edited: dict[str, float] = {}  # message id → when it (or its new copy) went out

    @classmethod
    def from_token(cls, token: str, base_url: str) -> ZaloTransport:
        """A transport with its own HTTP client (close it with `stop`)."""
        return cls(ZaloApi(token, base_url))

    async def start(self) -> None:
        """Nothing to open: the HTTP client connects on first use."""

    async def stop(self) -> None:
        """Close the HTTP client."""
        await self.api.aclose()

    async def send(self, chat_id: str, payload: dict[str, Any]) -> SendResult:
        """Deliver one payload: its photo (by URL) first, then its text in parts under 2 000."""
        text = str(payload.get("text") or "")
        if payload.get("format") == "html":
            text = to_plain(text)
        message_id: str | None = None
        try:
            photo = payload.get("photo")
            if isinstance(photo, str) and photo.startswith(("http://", "https://")):
                sent = await self.api.send_photo(chat_id, photo)
                message_id = _id(sent) or message_id
            for part in split_plain(text, MAX_TEXT) if text.strip() else []:
                sent = await self.api.send_message(chat_id, part)
                message_id = message_id or _id(sent)
        except ZaloError as error:
            return classify(error)
        if message_id is None and not text.strip():
            return SendResult(SendStatus.FAILED, error="nothing to send")
        if message_id is not None:
            self._remember(message_id)
        return SendResult(SendStatus.SENT, message_id=message_id)

    def _remember(self, message_id: str) -> None:
        """Note when a message went out, so that 'editing' it is throttled from then on."""
        now = time.monotonic()
        self._edited[message_id] = now
        if len(self._edited) > 1000:  # only the last minute matters
            self._edited = {
                m: t for m, t in self._edited.items() if now - t < self.edit_interval
            }

    async def edit(self, chat_id: str, message_id: str, payload: dict[str, Any]) -> SendResult:
        """Zalo has no editing: send the new text as a new message, at most once a minute.

        A progress report edited every few seconds would otherwise flood the officer's chat; a
        throttled edit answers RETRY_AFTER, so the sender tries again with the newest text.
        """
        now = time.monotonic()
        last = self._edited.get(message_id)
        if last is not None and now - last < self.edit_interval:
            wait = self.edit_interval - (now - last)
            return SendResult(SendStatus.RETRY_AFTER, retry_after=wait, error="edit throttled")
        result = await self.send(chat_id, payload)
        if result.status is SendStatus.SENT:
            self._remember(message_id)
        return result


def _id(result: dict[str, Any]) -> str | None:
    value = result.get("message_id")
    return str(value) if value is not None else None
