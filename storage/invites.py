"""Officer invites: one-time codes that give the officer role for one province."""

from __future__ import annotations

from datetime import datetime

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.hashing import digest
from storage.timefmt import from_db, from_db_opt, to_db


class OfficerInvite(BaseModel):
    """A code an admin made for a future officer."""

    model_config = ConfigDict(frozen=True)
    code: str
    province_code: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by: int | None
    role: str = "officer"  # or "commune_officer", of `commune`
    commune: str | None = None


class InvitesRepo:
    """Create officer invites and spend them once."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def create(
        self, code: str, province_code: str, by: str, now: datetime, expires_at: datetime,
        commune: str | None = None,
    ) -> bool:
        """Store a new invite (for a commune officer when `commune` is given); False if the
        code is taken (the caller draws another)."""
        cur = await self._db.execute(
            "INSERT OR IGNORE INTO officer_invites (code, province_code, created_by, created_at,"
            " expires_at, role, commune) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (digest(code), province_code, by, to_db(now), to_db(expires_at),
             "commune_officer" if commune else "officer", commune),
        )
        return cur.rowcount == 1

    async def get(self, code: str) -> OfficerInvite | None:
        """The invite with this code, used or not, expired or not."""
        async with self._db.execute(
            "SELECT * FROM officer_invites WHERE code = ?", (digest(code),)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return OfficerInvite(
            code=code,  # as typed: only its digest is stored
            province_code=row["province_code"],
            created_by=row["created_by"],
            created_at=from_db(row["created_at"]),
            expires_at=from_db(row["expires_at"]),
            used_at=from_db_opt(row["used_at"]),
            used_by=row["used_by"],
            role=row["role"],
            commune=row["commune"],
        )

    async def spend(self, code: str, user_id: int, now: datetime) -> bool:
        """Mark a valid invite used by this account; False if used or expired already."""
        cur = await self._db.execute(
            "UPDATE officer_invites SET used_at = ?, used_by = ? WHERE code = ?"
            " AND used_at IS NULL AND expires_at > ?",
            (to_db(now), user_id, digest(code), to_db(now)),
        )
        return cur.rowcount == 1
