"""The outbox sender's way to deliver to Zalo, with each API error sorted into a SendStatus."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Any

from bot.channels.zalo_api import MAX_TEXT, ZaloApi, ZaloError
from bot.channels.zalo_quota import QuotaMeter
from bot.outbox.transport import SendResult, SendStatus
from messages.render import to_plain
from messages.split import split_plain

log = logging.getLogger(__name__)

QUOTA_HOLD = 3600.0  # seconds a row waits after a 429 when no quota meter says how long

# Zalo documents no code for "blocked": its 403 is "Internal server error". A person is taken
# as unreachable only when the answer's description says so.
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


def classify(error: ZaloError) -> SendResult:
    """What the sender should do after this error."""
    text = f"{error.code} {error.description}"[:300]
    words = error.description.casefold()
    if any(word in words for word in UNREACHABLE_WORDS):
        return SendResult(SendStatus.BLOCKED, error=text)
    if error.quota or "quota" in words:  # the plan's quota, not a flood limit: hold, long
        return SendResult(SendStatus.QUOTA, error=text)
    if error.code in (0, 401, 403, 408) or error.code >= 500:
        # 0 = timeout or network; 401 = a wrong token, which an operator can fix: keep the row;
        # 403 = "Internal server error" in Zalo's table.
        return SendResult(SendStatus.TRANSIENT, error=text)
    return SendResult(SendStatus.FAILED, error=text)


class ZaloTransport:
    """Sends outbox payloads (`{"text", "format", "photo"?}`) as Zalo messages."""

    channel = "zalo"
    supports_edit = False  # Zalo cannot edit a sent message; `edit` sends a new one

    def __init__(
        self, api: ZaloApi, edit_interval: float = 60.0, *, meter: QuotaMeter | None = None
    ) -> None:
        self.api = api
        self.meter = meter  # the month's quota: told of a 429, it says how long to hold
        self.edit_interval = edit_interval  # at most one progress message per this many seconds
        self._edited: dict[str, float] = {}  # message id → when it (or its new copy) went out

    @classmethod
    def from_token(cls, token: str, base_url: str, **api: Any) -> ZaloTransport:
        """A transport with its own HTTP client (close it with `stop`)."""
        return cls(ZaloApi(token, base_url, **api))

    async def start(self) -> None:
        """Nothing to open: the HTTP client connects on first use."""

    async def stop(self) -> None:
        """Close the HTTP client."""
        await self.api.aclose()

    async def send(self, chat_id: str, payload: dict[str, Any]) -> SendResult:
        """Deliver one payload: its photo (by URL) with the text as its caption, one message;
        a text over 2 000 characters goes on in more messages.

        A photo Zalo did not confirm in time may have arrived: it is taken as sent, never sent
        again blindly (the person would get it twice).
        """
        text = str(payload.get("text") or "")
        if payload.get("format") == "html":
            text = to_plain(text)
        parts = split_plain(text, MAX_TEXT) if text.strip() else []
        message_id: str | None = None
        try:
            photo = payload.get("photo")
            if isinstance(photo, str) and photo.startswith(("http://", "https://")):
                caption = parts.pop(0) if parts else ""
                message_id = await self._photo(chat_id, photo, caption)
            for part in parts:
                sent = await self.api.send_message(chat_id, part)
                message_id = message_id or _id(sent)
        except ZaloError as error:
            return await self._classified(error)
        if message_id is None and not text.strip() and not payload.get("photo"):
            return SendResult(SendStatus.FAILED, error="nothing to send")
        if message_id is not None:
            self._remember(message_id)
        return SendResult(SendStatus.SENT, message_id=message_id)

    async def _classified(self, error: ZaloError) -> SendResult:
        """`classify`, and on a used-up quota: pause (once), and hold the row that long."""
        result = classify(error)
        if result.status is not SendStatus.QUOTA:
            return result
        if self.meter is None:
            return replace(result, retry_after=QUOTA_HOLD)
        now = self.meter.clock()
        until = await self.meter.exceeded(now)
        return replace(result, retry_after=max((until - now).total_seconds(), 1.0))

    async def _photo(self, chat_id: str, photo: str, caption: str) -> str | None:
        """sendPhoto; a timeout counts as delivered (Zalo may still be fetching the photo)."""
        try:
            return _id(await self.api.send_photo(chat_id, photo, caption))
        except ZaloError as error:
            if not error.timed_out:
                raise
            log.warning("zalo sendPhoto to %s unanswered after %.0f s; taken as sent, "
                        "not sent again", chat_id, self.api.photo_timeout)
            return None

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
