"""The outbox: proactive messages queued in the transaction of their cause, sent later."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.timefmt import to_db


class OutboxMessage(BaseModel):
    """A message to queue for one recipient."""

    model_config = ConfigDict(frozen=True)
    user_id: int | None
    channel: str
    chat_id: str
    kind: str  # 'notice', 'announcement', 'reminder'
    payload: dict[str, Any]  # {"text": …, "format": "html" | "plain"}
    dedupe_key: str
    not_before: datetime
    urgent: bool = False
    cap_exempt: bool = False
    broadcast_id: int | None = None


class OutboxRepo:
    """Queue proactive messages; the sender claims and settles them."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def enqueue(self, message: OutboxMessage, now: datetime) -> bool:
        """Queue a message unless one with the same dedupe key exists; True if queued."""
        cur = await self._db.execute(
            "INSERT OR IGNORE INTO outbox (user_id, channel, chat_id, kind, payload, dedupe_key,"
            " urgent, cap_exempt, not_before, broadcast_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                message.user_id,
                message.channel,
                message.chat_id,
                message.kind,
                json.dumps(message.payload, ensure_ascii=False),
                message.dedupe_key,
                int(message.urgent),
                int(message.cap_exempt),
                to_db(message.not_before),
                message.broadcast_id,
                to_db(now),
                to_db(now),
            ),
        )
        return cur.rowcount == 1
