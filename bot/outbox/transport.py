"""What the outbox sender needs from a channel: send a queued payload and classify the result."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class SendStatus(StrEnum):
    """How one send attempt ended."""

    SENT = "sent"
    RETRY_AFTER = "retry_after"  # flood control: wait `retry_after` seconds, then retry
    BLOCKED = "blocked"  # the user blocked the bot or is unreachable: never retry
    TRANSIENT = "transient"  # 5xx, timeout, network: retry with backoff
    FAILED = "failed"  # the request itself is wrong (400): retrying will not help
    QUOTA = "quota"  # the plan's quota is used up (Zalo 429): hold the row until it renews


@dataclass(frozen=True)
class SendResult:
    """The outcome of one send attempt."""

    status: SendStatus
    retry_after: float | None = None
    error: str | None = None
    message_id: str | None = None


class Transport(Protocol):
    """One channel's way of delivering outbox payloads."""

    channel: str

    async def start(self) -> None:
        """Open what the transport needs (HTTP connections); must not need the network."""
        ...

    async def stop(self) -> None:
        """Close what `start` opened."""
        ...

    async def send(self, chat_id: str, payload: dict[str, Any]) -> SendResult:
        """Deliver one payload (`{"text", "format", …}`) to one chat."""
        ...

    async def edit(self, chat_id: str, message_id: str, payload: dict[str, Any]) -> SendResult:
        """Replace the text of a message sent before (progress reports)."""
        ...
