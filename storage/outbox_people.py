"""The outbox rows of one person: what is kept for them, calling off, forgetting, redacting."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from storage.outbox_models import OutboxRow
from storage.timefmt import to_db

# The setting each kind of message is sent under (other kinds always go).
_SETTING = {"announcement": "announcements_on", "reminder": "reminders_on"}

# What is left of a message about someone who deleted their data.
REDACTED: dict[str, Any] = {"text": "", "format": "plain", "redacted": True}


class OutboxPeopleQueries:
    """Personal-data work on the outbox (settings, data export and deletion)."""

    _db: aiosqlite.Connection

    async def kept_for(self, user_id: int) -> dict[str, int]:
        """How many proactive messages of each kind are kept for one user (data export)."""
        async with self._db.execute(
            "SELECT kind, COUNT(*) FROM outbox WHERE user_id = ? GROUP BY kind ORDER BY kind",
            (user_id,),
        ) as cur:
            return {row[0]: row[1] for row in await cur.fetchall()}

    async def cancel_unsent(self, user_id: int, kind: str, now: datetime) -> int:
        """Call off the user's queued messages of a kind they have just turned off."""
        cur = await self._db.execute(
            "UPDATE outbox SET status = 'cancelled', updated_at = ?"
            " WHERE user_id = ? AND kind = ? AND status IN ('pending', 'retry')",
            (to_db(now), user_id, kind),
        )
        return cur.rowcount

    async def move_to_linked(self, channel: str, to_channel: str, now: datetime) -> int:
        """Move the waiting rows of `channel` whose recipient has a linked, reachable account
        on `to_channel` (same producer) to that account; returns how many moved."""
        cur = await self._db.execute(
            "UPDATE outbox SET channel = ?, chat_id = other.chat_id, user_id = other.id,"
            " updated_at = ? FROM users AS me, users AS other"
            " WHERE outbox.channel = ? AND outbox.status IN ('pending', 'retry')"
            " AND me.id = outbox.user_id AND me.producer_id IS NOT NULL"
            " AND other.id = (SELECT MIN(u.id) FROM users u WHERE u.producer_id = me.producer_id"
            "   AND u.channel = ? AND u.active = 1 AND u.id != me.id)",
            (to_channel, to_db(now), channel, to_channel),
        )
        return cur.rowcount

    async def call_off_unwanted(self, rows: list[OutboxRow], now: datetime) -> set[int]:
        """Of rows about to be sent, call off those their recipient no longer wants, read now:
        announcements or reminders turned off since queueing, announcements to someone whose
        data is deleted (no producer profile any more). Returns their ids. `outbox retry`
        after an outage relies on this, as does any row queued before a "dừng"."""
        users = {r.user_id for r in rows if r.kind in _SETTING and r.user_id is not None}
        if not users:
            return set()
        async with self._db.execute(
            "SELECT id, announcements_on, reminders_on, producer_id FROM users"
            " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(users)),),
        ) as cur:
            wanted = {row["id"]: row for row in await cur.fetchall()}
        off = [r.id for r in rows if r.kind in _SETTING and r.user_id in wanted
               and (not wanted[r.user_id][_SETTING[r.kind]]
                    or (r.kind == "announcement" and wanted[r.user_id]["producer_id"] is None))]
        if off:
            await self._db.execute(
                "UPDATE outbox SET status = 'cancelled', updated_at = ?,"
                " last_error = 'turned off by the recipient'"
                " WHERE id IN (SELECT value FROM json_each(?))", (to_db(now), json.dumps(off)),
            )
        return set(off)

    async def forget_user(self, user_id: int) -> int:
        """Delete the user's own messages (personal data deletion); announcements stay counted."""
        cur = await self._db.execute(
            "DELETE FROM outbox WHERE user_id = ? AND broadcast_id IS NULL", (user_id,)
        )
        return cur.rowcount

    async def redact_about(self, producer_id: int, now: datetime) -> int:
        """Blank the messages to others about a producer whose data is deleted; unsent ones
        are called off (personal data deletion). The rows stay, so delivery counts hold."""
        cur = await self._db.execute(
            "UPDATE outbox SET payload = ?, updated_at = ?,"
            " status = CASE WHEN status IN ('pending', 'retry') THEN 'cancelled' ELSE status END"
            " WHERE about_producer = ?",
            (json.dumps(REDACTED), to_db(now), producer_id),
        )
        return cur.rowcount
