"""How the sender settles the outbox rows it claimed: sent, retried, held, given up."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.outbox_models import EXPIRED
from storage.timefmt import to_db

HELD = "held"  # how the error of a row waiting for a channel's quota begins
# A delivered file is not kept: the row keeps its name and type, the bytes go.
_DROP_FILE = (
    "payload = CASE WHEN json_type(payload, '$.document.data_b64') IS NULL THEN payload"
    " ELSE json_remove(payload, '$.document.data_b64') END"
)


class OutboxMarks:
    """The outcome of each claimed row, written back to its outbox row."""

    _db: aiosqlite.Connection

    async def mark_sent(self, row_id: int, now: datetime, message_id: str | None) -> None:
        """Record a delivered row."""
        await self._db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, updated_at = ?, message_id = ?,"
            f" last_error = NULL, {_DROP_FILE} WHERE id = ?",
            (to_db(now), to_db(now), message_id, row_id),
        )

    async def mark_sent_many(self, sent: list[tuple[int, str | None]], now: datetime) -> None:
        """Record many delivered rows at once: (row id, channel message id)."""
        await self._db.executemany(
            "UPDATE outbox SET status = 'sent', sent_at = ?, updated_at = ?, message_id = ?,"
            f" last_error = NULL, {_DROP_FILE} WHERE id = ?",
            [(to_db(now), to_db(now), message_id, row_id) for row_id, message_id in sent],
        )

    async def mark_retry(
        self, row_id: int, not_before: datetime, error: str, now: datetime
    ) -> None:
        """Put a row back to be tried again at `not_before`."""
        await self._db.execute(
            "UPDATE outbox SET status = 'retry', not_before = ?, last_error = ?, updated_at = ?"
            " WHERE id = ?",
            (to_db(not_before), error[:500], to_db(now), row_id),
        )

    async def hold(self, row_id: int, until: datetime, error: str, now: datetime) -> None:
        """Put a claimed row back, untried, until the channel may send again (quota used up)."""
        await self._db.execute(
            "UPDATE outbox SET status = 'pending', not_before = ?, last_error = ?,"
            " attempts = MAX(attempts - 1, 0), updated_at = ? WHERE id = ?",
            (to_db(until), f"{HELD}: {error}"[:500], to_db(now), row_id),
        )

    async def release_held(self, channel: str, now: datetime) -> int:
        """Make the rows `hold` put back due now (the pause was lifted by hand)."""
        cur = await self._db.execute(
            "UPDATE outbox SET not_before = ?, updated_at = ? WHERE channel = ?"
            f" AND status = 'pending' AND not_before > ? AND last_error LIKE '{HELD}:%'",
            (to_db(now), to_db(now), channel, to_db(now)),
        )
        return cur.rowcount

    async def mark_expired(self, row_id: int, error: str, now: datetime) -> None:
        """Give up on a row still failing transiently when it stopped being relevant."""
        await self.mark_failed(row_id, f"{EXPIRED}: {error}", now)

    async def mark_failed(self, row_id: int, error: str, now: datetime) -> None:
        """Give up on a row (bad request, or out of attempts)."""
        await self._db.execute(
            "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
            (error[:500], to_db(now), row_id),
        )

    async def mark_dead(self, row_id: int, user_id: int | None, error: str, now: datetime) -> int:
        """The recipient blocked the bot: this row and their other queued rows are dead."""
        await self._db.execute(
            "UPDATE outbox SET status = 'dead', last_error = ?, updated_at = ? WHERE id = ?",
            (error[:500], to_db(now), row_id),
        )
        if user_id is None:
            return 0
        cur = await self._db.execute(
            "UPDATE outbox SET status = 'dead', last_error = 'recipient unreachable',"
            " updated_at = ? WHERE user_id = ? AND status IN ('pending', 'retry')",
            (to_db(now), user_id),
        )
        return cur.rowcount
