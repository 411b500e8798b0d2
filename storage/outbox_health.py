"""The outbox as an operator sees it: rows per state and channel, the oldest waiting, retry."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.outbox import EXPIRED
from storage.timefmt import from_db, to_db

# `failed` rows whose error starts with "expired" are shown as their own state.
_STATE = (
    f"CASE WHEN status = 'failed' AND last_error LIKE '{EXPIRED}%' THEN '{EXPIRED}'"
    " ELSE status END"
)
WAITING = ("pending", "retry", "sending")


class StateCount(BaseModel):
    """How many rows of one channel are in one state."""

    model_config = ConfigDict(frozen=True)
    channel: str
    state: str  # pending, sending, retry, sent, failed, expired, dead, cancelled
    count: int


class OldestWaiting(BaseModel):
    """The row that has waited longest to be delivered."""

    model_config = ConfigDict(frozen=True)
    channel: str
    kind: str
    queued_at: datetime
    attempts: int
    last_error: str | None


class Unreachable(BaseModel):
    """A person the bot cannot reach, and the evidence: what the channel said, or how long
    their messages have failed."""

    model_config = ConfigDict(frozen=True)
    channel: str
    external_id: str
    name: str | None  # their producer's name, if any
    reason: str  # the channel's answer
    since: datetime  # when it said so, or when the failing began
    said: bool  # True: given up on (the channel said so, or days of failures); False: failing


# Each person's latest refusal (a correlated pick: PostgreSQL has no SQLite-style bare column
# beside MAX()), and the people failing for days, grouped by person and producer (both keys, so
# that the producer's name may be shown on either engine).
_SAID = (
    "SELECT u.channel, u.external_id, p.name, o.last_error, o.updated_at, 1"
    " FROM outbox o JOIN users u ON u.id = o.user_id"
    " LEFT JOIN producers p ON p.id = u.producer_id"
    " WHERE o.id = (SELECT d.id FROM outbox d WHERE d.user_id = o.user_id"
    "   AND d.status = 'dead' AND d.last_error != 'recipient unreachable'"
    "   ORDER BY d.updated_at DESC, d.id DESC LIMIT 1)"
)
_FAILING = (
    "SELECT u.channel, u.external_id, p.name, MAX(o.last_error), MIN(o.created_at), 0"
    " FROM outbox o JOIN users u ON u.id = o.user_id"
    " LEFT JOIN producers p ON p.id = u.producer_id"
    " WHERE o.status = 'retry' AND o.created_at < ? GROUP BY u.id, p.id"
)


class OutboxHealthRepo:
    """Read the outbox's state for the `outbox status` command and put given-up rows back."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def state_counts(self) -> list[StateCount]:
        """Rows per channel and state, ordered by channel then state."""
        async with self._db.execute(
            f"SELECT channel, {_STATE} AS state, COUNT(*) FROM outbox"
            " GROUP BY channel, state ORDER BY channel, state"
        ) as cur:
            return [StateCount(channel=r[0], state=r[1], count=r[2])
                    for r in await cur.fetchall()]

    async def backlog(self, now: datetime) -> int:
        """Rows due now and not yet sent (pending or retrying): the health check's backlog."""
        async with self._db.execute(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'retry')"
            " AND not_before <= ?", (to_db(now),),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row is not None else 0

    async def probe(self, now: datetime) -> None:
        """Write the health check's one row: fails when the database cannot be written to."""
        await self._db.execute(
            "INSERT INTO health_probe (id, at) VALUES (1, ?)"
            " ON CONFLICT (id) DO UPDATE SET at = excluded.at", (to_db(now),),
        )

    async def oldest_waiting(self) -> OldestWaiting | None:
        """The longest-waiting row not yet delivered (pending, retrying or being sent)."""
        async with self._db.execute(
            "SELECT channel, kind, created_at, attempts, last_error FROM outbox"
            " WHERE status IN (SELECT value FROM json_each(?)) ORDER BY created_at, id LIMIT 1",
            ('["' + '","'.join(WAITING) + '"]',),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return OldestWaiting(channel=row[0], kind=row[1], queued_at=from_db(row[2]),
                             attempts=row[3], last_error=row[4])

    async def requeue(self, now: datetime, *, include_failed: bool) -> int:
        """Put expired rows (and, if asked, rows refused outright) back to be sent now.

        Each gets a fresh relevance window as long as its first one, so an outage right after
        does not expire it at once.
        """
        condition = "status = 'failed'"
        if not include_failed:
            condition += f" AND last_error LIKE '{EXPIRED}%'"
        params: tuple[Any, ...] = (to_db(now), to_db(now), to_db(now))
        cur = await self._db.execute(
            "UPDATE outbox SET status = 'pending', attempts = 0, last_error = NULL,"
            " not_before = ?, updated_at = ?,"
            " expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?, '+' || MAX(86400,"
            "   CAST(strftime('%s', COALESCE(expires_at, created_at)) AS INTEGER)"
            "   - CAST(strftime('%s', created_at) AS INTEGER)) || ' seconds')"
            f" WHERE {condition}",
            params,
        )
        return cur.rowcount

    async def unreachable(
        self, now: datetime, failing_for: timedelta, limit: int = 20
    ) -> list[Unreachable]:
        """Who cannot be reached and why: the channel said so, or their messages have failed
        for longer than `failing_for`; newest first."""
        async with self._db.execute(
            f"SELECT * FROM ({_SAID} UNION ALL {_FAILING}) AS unreachable ORDER BY 5 DESC LIMIT ?",
            (to_db(now - failing_for), limit),
        ) as cur:
            rows = await cur.fetchall()
        return [Unreachable(channel=r[0], external_id=r[1], name=r[2], reason=r[3] or "?",
                            since=from_db(r[4]), said=bool(r[5])) for r in rows]

    async def failing_for_days(
        self, channel: str, since: datetime, now: datetime
    ) -> list[tuple[int, int, str]]:
        """People whose messages on `channel` have failed since before `since` with none
        delivered to them since, while the channel delivered to others in the last day (so it
        is not an outage): (user id, their oldest failing row, its error)."""
        async with self._db.execute(
            "SELECT o.user_id, MIN(o.id), MAX(o.last_error) FROM outbox o"
            " WHERE o.channel = ? AND o.status = 'retry' AND o.created_at < ?"
            " AND o.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox s"
            "   WHERE s.user_id = o.user_id AND s.channel = o.channel AND s.status = 'sent'"
            "   AND s.sent_at >= o.created_at)"
            " AND EXISTS (SELECT 1 FROM outbox w WHERE w.channel = o.channel"
            "   AND w.status = 'sent' AND w.sent_at >= ? AND w.user_id IS NOT o.user_id)"
            " GROUP BY o.user_id ORDER BY o.user_id",
            (channel, to_db(since), to_db(now - timedelta(days=1))),
        ) as cur:
            return [(r[0], r[1], r[2] or "no answer") for r in await cur.fetchall()]
