"""Leases: one holder at a time for a job that must run once in a deployment of several
workers (the reminder scheduler, a channel's poller), renewed by its holder and taken by
another worker once it has expired."""

from __future__ import annotations

from datetime import UTC, datetime

import aiosqlite

FINE = "%Y-%m-%dT%H:%M:%S.%fZ"  # leases last seconds: kept to the microsecond (UTC)


def _fine(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(FINE)


class LeasesRepo:
    """Take, renew and give up named leases."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def take(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Take or renew the lease `name` until `until`; False while another holder's runs."""
        return await self.taken(name, holder, now, until) is not None

    async def taken(self, name: str, holder: str, now: datetime,
                    until: datetime) -> str | None:
        """Take or renew the lease `name` until `until`: "new" (nobody held it), "renewed",
        "taken_over" (its holder let it expire), or None while another holder's runs."""
        cur = await self._db.execute(
            "INSERT OR IGNORE INTO leases (name, holder, expires_at, taken_at)"
            " VALUES (?, ?, ?, ?)",
            (name, holder, _fine(until), _fine(now)),
        )
        if cur.rowcount == 1:
            return "new"
        async with self._db.execute("SELECT holder FROM leases WHERE name = ?", (name,)) as read:
            row = await read.fetchone()
        before = str(row["holder"]) if row is not None else holder
        cur = await self._db.execute(
            "UPDATE leases SET holder = ?, expires_at = ?,"
            " taken_at = CASE WHEN holder = ? THEN taken_at ELSE ? END"
            " WHERE name = ? AND (holder = ? OR expires_at < ?)",
            (holder, _fine(until), holder, _fine(now), name, holder, _fine(now)),
        )
        if cur.rowcount != 1:
            return None
        return "renewed" if before == holder else "taken_over"

    async def give_up(self, name: str, holder: str) -> None:
        """End a lease this holder has (stopping cleanly): another worker takes it at once."""
        await self._db.execute(
            "DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder)
        )

    async def holder(self, name: str, now: datetime) -> str | None:
        """Who holds the lease now (None when nobody, or it has expired)."""
        async with self._db.execute(
            "SELECT holder, expires_at FROM leases WHERE name = ?", (name,)
        ) as cur:
            row = await cur.fetchone()
        if row is None or datetime.strptime(row["expires_at"], FINE).replace(tzinfo=UTC) < now:
            return None
        return str(row["holder"])
