"""Queries the reminder rules ask: what has become due since they last looked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timefmt import from_db, to_db

KEYS_PER_QUERY = 500  # dedupe keys looked up in one statement


@dataclass(frozen=True)
class StaleDraft:
    """An unfinished draft nobody has touched for a while."""

    user_id: int
    kind: str
    updated_at: datetime
    channel: str
    chat_id: str
    locale: str

    @property
    def dedupe_key(self) -> str:
        """One nudge per draft left alone (touching it again allows a new one later)."""
        return f"draft:{self.user_id}:{self.kind}:{to_db(self.updated_at)}"


class RemindersRepo:
    """Due-reminder lookups that skip what was already queued."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def stale_drafts(self, idle_before: datetime, idle_after: datetime) -> list[StaleDraft]:
        """Drafts last touched in (idle_after, idle_before] not yet nudged, of users who want
        reminders and can be written to (active)."""
        async with self._db.execute(
            "SELECT d.user_id, d.kind, d.updated_at, u.channel, u.chat_id, u.locale"
            " FROM drafts d JOIN users u ON u.id = d.user_id"
            " WHERE d.updated_at <= ? AND d.updated_at > ? AND u.active = 1"
            " AND u.reminders_on = 1 AND NOT EXISTS"
            " (SELECT 1 FROM outbox o WHERE o.dedupe_key ="
            " 'draft:' || d.user_id || ':' || d.kind || ':' || d.updated_at)",
            (to_db(idle_before), to_db(idle_after)),
        ) as cur:
            rows = await cur.fetchall()
        return [StaleDraft(row[0], row[1], from_db(row[2]), row[3], row[4], row[5])
                for row in rows]

    async def queued_keys(self, keys: list[str]) -> set[str]:
        """Which of these dedupe keys are already in the outbox (a notice queued once)."""
        found: set[str] = set()
        for start in range(0, len(keys), KEYS_PER_QUERY):
            chunk = keys[start:start + KEYS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            async with self._db.execute(
                f"SELECT dedupe_key FROM outbox WHERE dedupe_key IN ({marks})", chunk
            ) as cur:
                found |= {row[0] for row in await cur.fetchall()}
        return found
