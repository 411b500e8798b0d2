"""The outbox: proactive messages queued in the transaction of their cause, sent later.

Life of a row: `pending` → (claimed) `sending` → `sent`, or back to `retry` (transient error,
with a later `not_before`), `failed` (refused as a bad request, or still failing when it stopped
being relevant at `expires_at`: then its error starts with "expired"), `dead` (the recipient
blocked the bot), or `cancelled` (a scheduled broadcast was called off). A row is claimed before
it is sent and settled after: a crash in between leaves it `sending`, and `recover` puts it
back, so it may be sent twice but is never lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import aiosqlite

from storage.outbox_leases import NOT_HELD_ELSEWHERE, SKIP_LOCKED, OutboxLeases, locks_rows
from storage.outbox_marks import OutboxMarks
from storage.outbox_models import EXPIRED, OutboxMessage, OutboxRow
from storage.outbox_people import OutboxPeopleQueries
from storage.timefmt import from_db, from_db_opt, to_db

OPEN_STATUSES = ("pending", "sending", "retry")
# Messages about the user's own dossier or certificate, and an officer's progress message,
# are never held back by the daily cap; reminders and announcements are (unless cap_exempt).
CAPPED_KINDS = ("reminder", "announcement")


# An earlier notice to the same chat not yet delivered (index: outbox_open_notices).
_AFTER_EARLIER_NOTICES = (
    " AND NOT EXISTS (SELECT 1 FROM outbox AS earlier WHERE earlier.channel = outbox.channel"
    " AND earlier.chat_id = outbox.chat_id AND earlier.id < outbox.id"
    " AND earlier.kind = 'notice' AND earlier.status IN ('pending', 'sending', 'retry'))"
)


# A notice written before an urgent one to the same chat: sent with it, in quiet hours too.
_BEFORE_AN_URGENT_NOTICE = (
    "(kind = 'notice' AND EXISTS (SELECT 1 FROM outbox AS later WHERE later.channel ="
    " outbox.channel AND later.chat_id = outbox.chat_id AND later.id > outbox.id"
    " AND later.urgent = 1 AND later.status IN ('pending', 'retry')))"
)


def _params(message: OutboxMessage, now: datetime) -> tuple[Any, ...]:
    return (
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
        message.about_producer,
        to_db(message.relevant_until()),
        to_db(now),
        to_db(now),
    )


_INSERT = (
    "INSERT OR IGNORE INTO outbox (user_id, channel, chat_id, kind, payload, dedupe_key,"
    " urgent, cap_exempt, not_before, broadcast_id, about_producer, expires_at, created_at,"
    " updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _row(row: aiosqlite.Row) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        user_id=row["user_id"],
        channel=row["channel"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        dedupe_key=row["dedupe_key"],
        urgent=bool(row["urgent"]),
        cap_exempt=bool(row["cap_exempt"]),
        attempts=row["attempts"] + 1,
        broadcast_id=row["broadcast_id"],
        expires_at=from_db_opt(row["expires_at"]),
    )


def _capped(row: OutboxRow) -> bool:
    return not row.cap_exempt and row.kind in CAPPED_KINDS


class OutboxRepo(OutboxPeopleQueries, OutboxMarks, OutboxLeases):
    """Queue proactive messages; the sender claims and settles them."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn
        self.taken_over = 0  # rows of a dead worker the last claim put back (for /metrics)

    async def enqueue(self, message: OutboxMessage, now: datetime) -> bool:
        """Queue a message unless one with the same dedupe key exists; True if queued."""
        cur = await self._db.execute(_INSERT, _params(message, now))
        return cur.rowcount == 1

    async def enqueue_many(self, messages: Iterable[OutboxMessage], now: datetime) -> int:
        """Queue many messages at once (a broadcast); returns how many were new."""
        before = self._db.total_changes
        await self._db.executemany(_INSERT, [_params(m, now) for m in messages])
        return self._db.total_changes - before

    async def claim_due(
        self,
        channel: str,
        now: datetime,
        limit: int,
        *,
        urgent_only: bool,
        daily_cap: int,
        day_start: datetime,
        cap_resume: datetime,
        exclude_chats: frozenset[str] = frozenset(),
        only_chat: str | None = None,
        worker: str = "",
        lease_until: datetime | None = None,
    ) -> list[OutboxRow]:
        """Mark up to `limit` due rows `sending` and return them, urgent first.

        A row waits while an earlier notice to the same chat is still open: an urgent
        notice (certified) never overtakes an earlier one (accepted); in quiet hours the
        earlier one goes first, with it, rather than both waiting for the morning.

        `only_chat` limits the claim to one chat (a terminal chat shows only its own rows).

        During quiet hours only urgent rows are due. A row counted against the daily cap
        whose recipient already had `daily_cap` such messages since `day_start` is moved to
        `cap_resume` instead of being claimed. A row waiting to be tried again after a
        transient error whose relevance has passed is expired instead (never sent late).

        The rows are marked held by `worker` until `lease_until`; rows of a chat another
        worker is sending to wait, and a row whose worker's lease has passed is taken over.
        """
        self.taken_over = await self.take_over_expired(channel, now, worker)
        await self._db.execute(
            "UPDATE outbox SET status = 'failed', updated_at = ?,"
            " last_error = ? || ': ' || COALESCE(last_error, 'no answer')"
            " WHERE channel = ? AND status = 'retry' AND expires_at < ?",
            (to_db(now), EXPIRED, channel, to_db(now)),
        )
        sql = (
            "SELECT * FROM outbox WHERE channel = ? AND status IN ('pending', 'retry')"
            " AND not_before <= ?" + _AFTER_EARLIER_NOTICES + NOT_HELD_ELSEWHERE
        )
        params: list[object] = [channel, to_db(now), worker]
        if urgent_only:  # and the notices before an urgent one, which go first with it
            sql += " AND (urgent = 1 OR " + _BEFORE_AN_URGENT_NOTICE + ")"
        if only_chat is not None:
            sql += " AND chat_id = ?"
            params.append(only_chat)
        sql += " ORDER BY urgent DESC, not_before, id LIMIT ?"
        if locks_rows(self._db):
            sql += SKIP_LOCKED
        async with self._db.execute(sql, (*params, limit)) as cur:
            candidates = [_row(r) for r in await cur.fetchall()]
        off = await self.call_off_unwanted(candidates, now)  # settings read at send time
        candidates = [r for r in candidates if r.id not in off]
        if not candidates:
            return []
        counted = await self._counted_today(
            {r.user_id for r in candidates if _capped(r) and r.user_id is not None}, day_start
        )
        claimed: list[OutboxRow] = []
        deferred: list[int] = []
        for row in candidates:
            if row.chat_id in exclude_chats:
                continue
            if _capped(row) and row.user_id is not None:
                if counted.get(row.user_id, 0) >= daily_cap:
                    deferred.append(row.id)
                    continue
                counted[row.user_id] = counted.get(row.user_id, 0) + 1
            claimed.append(row)
        if deferred:
            await self._db.execute(
                "UPDATE outbox SET not_before = ?, updated_at = ?"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (to_db(cap_resume), to_db(now), json.dumps(deferred)),
            )
        if claimed:
            await self._db.execute(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?,"
                " claimed_by = ?, lease_until = ? WHERE id IN (SELECT value FROM json_each(?))",
                (to_db(now), worker, to_db(lease_until) if lease_until else None,
                 json.dumps([r.id for r in claimed])),
            )
        return claimed

    async def _counted_today(self, user_ids: set[int], day_start: datetime) -> dict[int, int]:
        if not user_ids:
            return {}
        async with self._db.execute(
            "SELECT user_id, COUNT(*) FROM outbox WHERE user_id IN"
            " (SELECT value FROM json_each(?)) AND cap_exempt = 0"
            " AND kind IN ('reminder', 'announcement') AND"
            " ((status = 'sent' AND sent_at >= ?) OR status = 'sending') GROUP BY user_id",
            (json.dumps(sorted(user_ids)), to_db(day_start)),
        ) as cur:
            return {row[0]: row[1] for row in await cur.fetchall()}

    async def message_id_of(self, dedupe_key: str) -> str | None:
        """The channel message id of a sent row (the progress message of a broadcast)."""
        async with self._db.execute(
            "SELECT message_id FROM outbox WHERE dedupe_key = ? AND status = 'sent'",
            (dedupe_key,),
        ) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def counts(self, channel: str | None = None) -> dict[str, int]:
        """How many rows are in each status (for logs and benchmarks)."""
        sql = "SELECT status, COUNT(*) FROM outbox"
        params: tuple[Any, ...] = ()
        if channel is not None:
            sql += " WHERE channel = ?"
            params = (channel,)
        async with self._db.execute(f"{sql} GROUP BY status", params) as cur:
            return {row[0]: row[1] for row in await cur.fetchall()}

    async def next_due(self, channel: str) -> datetime | None:
        """When the earliest open row of a channel becomes due."""
        async with self._db.execute(
            "SELECT MIN(not_before) FROM outbox WHERE channel = ?"
            " AND status IN ('pending', 'retry')",
            (channel,),
        ) as cur:
            row = await cur.fetchone()
        return from_db(row[0]) if row and row[0] else None
