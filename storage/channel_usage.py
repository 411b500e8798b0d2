"""A channel's use of its monthly plan: calls counted per local month, and a pause when the
platform says the plan is used up (Zalo's 429 "Quota exceeded")."""

from __future__ import annotations

from datetime import datetime

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.timefmt import from_db_opt, to_db


class ChannelUsage(BaseModel):
    """One channel's use in one month."""

    model_config = ConfigDict(frozen=True)
    channel: str
    month: str  # "2026-12", in the bot's time zone
    used: int = 0
    paused_until: datetime | None = None  # sends wait until then

    def paused_at(self, now: datetime) -> datetime | None:
        """Until when sends are paused, seen at `now`; None when they are not."""
        return self.paused_until if self.paused_until and self.paused_until > now else None


class ChannelUsageRepo:
    """Count calls and keep the pause of a channel's monthly plan."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def add(self, channel: str, month: str, calls: int, now: datetime) -> ChannelUsage:
        """Count `calls` more in the month; returns the month's use after it."""
        async with self._db.execute(
            "INSERT INTO channel_usage (channel, month, used, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (channel, month) DO UPDATE SET used = used + excluded.used,"
            " updated_at = excluded.updated_at RETURNING used, paused_until",
            (channel, month, calls, to_db(now)),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return ChannelUsage(channel=channel, month=month, used=calls)
        return ChannelUsage(channel=channel, month=month, used=row[0],
                            paused_until=from_db_opt(row[1]))

    async def get(self, channel: str, month: str) -> ChannelUsage:
        """The month's use (zero if nothing was counted yet)."""
        async with self._db.execute(
            "SELECT used, paused_until FROM channel_usage WHERE channel = ? AND month = ?",
            (channel, month),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return ChannelUsage(channel=channel, month=month)
        return ChannelUsage(channel=channel, month=month, used=row[0],
                            paused_until=from_db_opt(row[1]))

    async def pause(self, channel: str, month: str, until: datetime, now: datetime) -> bool:
        """Hold the channel's sends until `until`; True if it was not paused that long yet."""
        cur = await self._db.execute(
            "INSERT INTO channel_usage (channel, month, used, paused_until, updated_at)"
            " VALUES (?, ?, 0, ?, ?) ON CONFLICT (channel, month) DO UPDATE SET"
            " paused_until = excluded.paused_until, updated_at = excluded.updated_at"
            " WHERE paused_until IS NULL OR paused_until < excluded.paused_until",
            (channel, month, to_db(until), to_db(now)),
        )
        return cur.rowcount == 1

    async def resume(self, channel: str, month: str, now: datetime) -> bool:
        """Lift the month's pause (the plan was upgraded); True if there was one."""
        cur = await self._db.execute(
            "UPDATE channel_usage SET paused_until = NULL, updated_at = ?"
            " WHERE channel = ? AND month = ? AND paused_until IS NOT NULL",
            (to_db(now), channel, month),
        )
        return cur.rowcount == 1
