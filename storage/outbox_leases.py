"""Which worker holds the outbox rows being sent, and until when (several workers on one
database): a claimed row carries its worker and a lease, renewed while the worker lives;
a row whose lease has passed (its worker died) goes back in the queue for any worker."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.timefmt import to_db

# A chat that has a row in another worker's hands waits: one worker at a time sends to it,
# so the channel's interval between two messages to one chat holds (index outbox_sending).
NOT_HELD_ELSEWHERE = (
    " AND NOT EXISTS (SELECT 1 FROM outbox AS held WHERE held.channel = outbox.channel"
    " AND held.chat_id = outbox.chat_id AND held.status = 'sending' AND held.claimed_by <> ?)"
)
# On PostgreSQL the candidates are locked as they are read; rows another worker is
# claiming at that moment are skipped rather than waited for (SQLite has one writer).
SKIP_LOCKED = " FOR UPDATE OF outbox SKIP LOCKED"


def locks_rows(conn: object) -> bool:
    """Whether the connection's engine locks rows (PostgreSQL) rather than the database."""
    return getattr(conn, "engine", "sqlite") == "postgresql"


class OutboxLeases:
    """Claimed rows' holders and leases."""

    _db: aiosqlite.Connection

    async def recover(self, channel: str, now: datetime, worker: str = "") -> int:
        """Put back rows left `sending` by a sender that is gone (call as a sender starts):
        on SQLite (one process) all of them; on a shared server those whose lease has
        passed (or that have none) and those of an earlier sender of this same worker."""
        sql = ("UPDATE outbox SET status = 'pending', attempts = MAX(attempts - 1, 0),"
               " claimed_by = NULL, lease_until = NULL, updated_at = ?"
               " WHERE channel = ? AND status = 'sending'")
        params: tuple[object, ...] = (to_db(now), channel)
        if locks_rows(self._db):
            sql += " AND (lease_until IS NULL OR lease_until < ? OR claimed_by = ?)"
            params += (to_db(now), worker)
        cur = await self._db.execute(sql, params)
        return cur.rowcount

    async def take_over_expired(self, channel: str, now: datetime, worker: str) -> int:
        """Put back the rows whose worker let the lease pass (it died mid-send); never the
        claiming worker's own (it knows they are in hand, however late its renewal)."""
        cur = await self._db.execute(
            "UPDATE outbox SET status = 'pending', attempts = MAX(attempts - 1, 0),"
            " claimed_by = NULL, lease_until = NULL, updated_at = ?"
            " WHERE channel = ? AND status = 'sending' AND lease_until < ? AND claimed_by <> ?",
            (to_db(now), channel, to_db(now), worker),
        )
        return cur.rowcount

    async def renew(self, channel: str, worker: str, until: datetime) -> int:
        """Extend the lease of every row this worker is sending; returns how many."""
        cur = await self._db.execute(
            "UPDATE outbox SET lease_until = ? WHERE channel = ? AND status = 'sending'"
            " AND claimed_by = ?",
            (to_db(until), channel, worker),
        )
        return cur.rowcount
