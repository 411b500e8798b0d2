"""Officer broadcasts: what was announced, to whom, and how its delivery went."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.timefmt import from_db, from_db_opt, to_db


class Broadcast(BaseModel):
    """One announcement an officer sent (or scheduled) to an audience."""

    model_config = ConfigDict(frozen=True)
    id: int
    officer_id: int | None
    actor: str
    province_code: str | None
    audience: list[tuple[str, str, str]]  # (filter key, value, label as shown)
    text: str
    urgent: bool
    not_before: datetime
    status: str  # 'scheduled', 'sending', 'done', 'cancelled'
    total: int
    progress_channel: str | None
    progress_chat_id: str | None
    progress_message_id: str | None
    progress_locale: str
    created_at: datetime
    finished_at: datetime | None


class DeliveryReport(BaseModel):
    """How the rows of one broadcast stand; the parts add up to `total`."""

    model_config = ConfigDict(frozen=True)
    total: int = 0
    delivered: int = 0
    blocked: int = 0
    retrying: int = 0
    waiting: int = 0  # not tried yet (queued, or being sent right now)
    failed: int = 0
    cancelled: int = 0

    @property
    def finished(self) -> bool:
        """Nothing is left to send."""
        return self.retrying == 0 and self.waiting == 0

    @property
    def done(self) -> int:
        """Rows that reached an end (delivered, blocked, failed)."""
        return self.delivered + self.blocked + self.failed


_STATUS_PART = {
    "sent": "delivered",
    "dead": "blocked",
    "retry": "retrying",
    "pending": "waiting",
    "sending": "waiting",
    "failed": "failed",
    "cancelled": "cancelled",
}


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        officer_id=row["officer_id"],
        actor=row["actor"],
        province_code=row["province_code"],
        audience=[tuple(item) for item in json.loads(row["audience"])],
        text=row["text"],
        urgent=bool(row["urgent"]),
        not_before=from_db(row["not_before"]),
        status=row["status"],
        total=row["total"],
        progress_channel=row["progress_channel"],
        progress_chat_id=row["progress_chat_id"],
        progress_message_id=row["progress_message_id"],
        progress_locale=row["progress_locale"],
        created_at=from_db(row["created_at"]),
        finished_at=from_db_opt(row["finished_at"]),
    )


class BroadcastsRepo:
    """Create, list, cancel and report on broadcasts."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def create(
        self,
        *,
        officer_id: int,
        actor: str,
        province_code: str | None,
        audience: list[tuple[str, str, str]],
        text: str,
        urgent: bool,
        not_before: datetime,
        progress_locale: str,
        now: datetime,
    ) -> int:
        """Record a confirmed broadcast (its outbox rows are queued next, same transaction)."""
        cur = await self._db.execute(
            "INSERT INTO broadcasts (officer_id, actor, province_code, audience, text, urgent,"
            " not_before, status, progress_locale, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                officer_id,
                actor,
                province_code,
                json.dumps(audience, ensure_ascii=False),
                text,
                int(urgent),
                to_db(not_before),
                "scheduled" if not_before > now else "sending",
                progress_locale,
                to_db(now),
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def sent_with(self, form_key: str) -> int | None:
        """The broadcast a console form with this one-time key already queued, if any."""
        async with self._db.execute(
            "SELECT id FROM broadcasts WHERE form_key = ?", (form_key,)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def remember_form(self, broadcast_id: int, form_key: str) -> None:
        """Note the one-time key of the form that queued this broadcast (sent twice: once)."""
        await self._db.execute(
            "UPDATE broadcasts SET form_key = ? WHERE id = ?", (form_key, broadcast_id)
        )

    async def set_total(self, broadcast_id: int, total: int) -> None:
        """Record how many recipients were queued."""
        await self._db.execute(
            "UPDATE broadcasts SET total = ? WHERE id = ?", (total, broadcast_id)
        )

    async def set_progress_target(self, broadcast_id: int, channel: str, chat_id: str) -> None:
        """Where the officer's progress message goes (it is queued as an outbox row)."""
        await self._db.execute(
            "UPDATE broadcasts SET progress_channel = ?, progress_chat_id = ? WHERE id = ?",
            (channel, chat_id, broadcast_id),
        )

    async def set_progress_message(self, broadcast_id: int, message_id: str) -> None:
        """Remember the sent progress message so that it can be edited in place."""
        await self._db.execute(
            "UPDATE broadcasts SET progress_message_id = ? WHERE id = ?",
            (message_id, broadcast_id),
        )

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """The broadcast with this id."""
        async with self._db.execute(
            "SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,)
        ) as cur:
            row = await cur.fetchone()
        return _broadcast(row) if row else None

    async def recent(self, province_code: str | None, limit: int = 10) -> list[Broadcast]:
        """The latest broadcasts of a province (all provinces for None), newest first."""
        async with self._db.execute(
            "SELECT * FROM broadcasts WHERE (? IS NULL OR province_code = ?)"
            " ORDER BY id DESC LIMIT ?",
            (province_code, province_code, limit),
        ) as cur:
            return [_broadcast(row) for row in await cur.fetchall()]

    async def received_by(
        self, user_ids: list[int], now: datetime, limit: int = 5
    ) -> list[Broadcast]:
        """Announcements queued for these accounts and already due, newest first."""
        async with self._db.execute(
            "SELECT * FROM broadcasts WHERE id IN (SELECT broadcast_id FROM outbox"
            " WHERE user_id IN (SELECT value FROM json_each(?)) AND kind = 'announcement'"
            " AND status != 'cancelled') AND status != 'cancelled' AND not_before <= ?"
            " ORDER BY not_before DESC, id DESC LIMIT ?",
            (json.dumps(user_ids), to_db(now), limit),
        ) as cur:
            return [_broadcast(row) for row in await cur.fetchall()]

    async def cancel(self, broadcast_id: int, now: datetime) -> bool:
        """Call off a scheduled broadcast before its time; False if too late."""
        cur = await self._db.execute(
            "UPDATE broadcasts SET status = 'cancelled', finished_at = ?"
            " WHERE id = ? AND status = 'scheduled' AND not_before > ?",
            (to_db(now), broadcast_id, to_db(now)),
        )
        if cur.rowcount != 1:
            return False
        await self._db.execute(
            "UPDATE outbox SET status = 'cancelled', updated_at = ?"
            " WHERE broadcast_id = ? AND status IN ('pending', 'retry')",
            (to_db(now), broadcast_id),
        )
        return True

    async def report(self, broadcast_id: int) -> DeliveryReport:
        """Delivered, blocked, retrying, waiting, failed and cancelled recipients."""
        async with self._db.execute(
            "SELECT status, COUNT(*) FROM outbox WHERE broadcast_id = ? AND kind = 'announcement'"
            " GROUP BY status",
            (broadcast_id,),
        ) as cur:
            rows = await cur.fetchall()
        parts: dict[str, int] = {}
        for status, count in rows:
            part = _STATUS_PART[status]
            parts[part] = parts.get(part, 0) + count
        return DeliveryReport(total=sum(parts.values()), **parts)

    async def recipient_rows(self, broadcast_id: int) -> list[dict[str, Any]]:
        """One line per recipient for the CSV export."""
        async with self._db.execute(
            "SELECT o.user_id, o.channel, o.chat_id, p.name AS producer, p.commune,"
            " o.status, o.attempts, o.last_error, o.sent_at FROM outbox o"
            " LEFT JOIN users u ON u.id = o.user_id LEFT JOIN producers p ON p.id = u.producer_id"
            " WHERE o.broadcast_id = ? AND o.kind = 'announcement' ORDER BY o.id",
            (broadcast_id,),
        ) as cur:
            return [dict(row) for row in await cur.fetchall()]

    async def start_due(self, now: datetime) -> int:
        """Scheduled broadcasts whose time has come are now sending."""
        cur = await self._db.execute(
            "UPDATE broadcasts SET status = 'sending' WHERE status = 'scheduled'"
            " AND not_before <= ?",
            (to_db(now),),
        )
        return cur.rowcount

    async def sending(self, channel: str | None = None) -> list[Broadcast]:
        """Broadcasts going out now (optionally those whose progress lives on `channel`)."""
        async with self._db.execute(
            "SELECT * FROM broadcasts WHERE status = 'sending'"
            " AND (? IS NULL OR progress_channel = ?) ORDER BY id",
            (channel, channel),
        ) as cur:
            return [_broadcast(row) for row in await cur.fetchall()]

    async def finish(self, broadcast_id: int, now: datetime) -> bool:
        """Mark a broadcast done once nothing is left to send; True the first time."""
        cur = await self._db.execute(
            "UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ?"
            " AND status = 'sending' AND NOT EXISTS (SELECT 1 FROM outbox WHERE broadcast_id = ?"
            " AND kind = 'announcement' AND status IN ('pending', 'sending', 'retry'))",
            (to_db(now), broadcast_id, broadcast_id),
        )
        return cur.rowcount == 1
