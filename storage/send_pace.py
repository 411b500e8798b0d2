"""A channel's send slots shared by every worker of a deployment: each worker reserves a
block of slots at a time, so together they never send faster than the channel allows."""

from __future__ import annotations

import aiosqlite


class SendPaceRepo:
    """Reserve blocks of a channel's send slots."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def reserve(self, channel: str, now: float, seconds: float) -> float:
        """Reserve the next `seconds` of the channel's sending time; returns when the block
        starts (Unix seconds: `now` or later, after the blocks other workers hold)."""
        await self._db.execute(
            "INSERT OR IGNORE INTO send_pace (channel, next_free) VALUES (?, 0)", (channel,)
        )
        await self._db.execute(
            "UPDATE send_pace SET next_free = MAX(next_free, ?) + ? WHERE channel = ?",
            (now, seconds, channel),
        )
        async with self._db.execute(
            "SELECT next_free FROM send_pace WHERE channel = ?", (channel,)
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return float(row[0]) - seconds
