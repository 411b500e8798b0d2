"""How fast, how persistently and when a channel's sender delivers, and what it has done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.channels.zalo_quota import Admission
from bot.outbox.quiet import DailyCap, QuietHours


@dataclass(frozen=True)
class SendPolicy:
    """How fast, how persistently and when a channel's sender delivers."""

    rate: float  # messages per second, overall
    chat_interval: float  # seconds between two messages to one chat
    backoff_base: float  # seconds; doubled after each transient failure ...
    backoff_max: float  # ... up to this many seconds between two tries
    quiet: QuietHours
    cap: DailyCap
    progress_interval: float = 3.0
    retry_after_waits: int = 3  # 429s waited out in place before the row goes back to the queue
    lease: float = 60.0  # seconds a claimed row stays this worker's without renewal


@dataclass
class SenderStats:
    """What the sender has done since it started."""

    sent: int = 0
    retry_after: int = 0
    transient: int = 0
    blocked: int = 0
    failed: int = 0
    edits: int = 0


class SendGate(Protocol):
    """A channel's monthly quota as its sender sees it (Zalo's QuotaMeter)."""

    async def admission(self, now: datetime) -> Admission:
        """Whether sending is paused, and whether only urgent rows may go."""
        ...

    async def exceeded(self, now: datetime) -> datetime:
        """The platform said the quota is used up: pause; returns when to try again."""
        ...


async def admitted(gate: SendGate | None, now: datetime, urgent_only: bool) -> bool | None:
    """None when the gate holds every send now; else whether only urgent rows may go."""
    if gate is None:
        return urgent_only
    admission = await gate.admission(now)
    if admission.paused_until is not None:
        return None
    return urgent_only or admission.urgent_only

