"""How fast, how persistently and when a channel's sender delivers, and what it has done."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class SenderStats:
    """What the sender has done since it started."""

    sent: int = 0
    retry_after: int = 0
    transient: int = 0
    blocked: int = 0
    failed: int = 0
    edits: int = 0
