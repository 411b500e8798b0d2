"""A proactive message to queue, and a claimed row as the sender sees it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

# A row queued without its own relevance deadline is kept trying this long after `not_before`.
DEFAULT_RELEVANCE = timedelta(days=7)
EXPIRED = "expired"  # how the error of a row that outlived its relevance begins


class OutboxMessage(BaseModel):
    """A message to queue for one recipient."""

    model_config = ConfigDict(frozen=True)
    user_id: int | None
    channel: str
    chat_id: str
    kind: str  # 'notice', 'announcement', 'reminder', 'progress'
    # {"text": …, "format": "html" | "plain"}, and on Telegram optionally
    # "document": {"filename", "mime", "data_b64"} (sent with the text as its caption)
    payload: dict[str, Any]
    dedupe_key: str
    not_before: datetime
    urgent: bool = False
    cap_exempt: bool = False
    broadcast_id: int | None = None
    # The producer a message to someone else is about (an officer told of a new dossier):
    # deleting that producer's data blanks the message.
    about_producer: int | None = None
    expires_at: datetime | None = None  # relevance deadline; None: DEFAULT_RELEVANCE

    def relevant_until(self) -> datetime:
        """Until when transient errors are retried."""
        return self.expires_at or self.not_before + DEFAULT_RELEVANCE


class OutboxRow(BaseModel):
    """A claimed row, as the sender sees it."""

    model_config = ConfigDict(frozen=True)
    id: int
    user_id: int | None
    channel: str
    chat_id: str
    kind: str
    payload: dict[str, Any]
    dedupe_key: str
    urgent: bool
    cap_exempt: bool
    attempts: int  # including the attempt being made now
    broadcast_id: int | None
    expires_at: datetime | None = None
