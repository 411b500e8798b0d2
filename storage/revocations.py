"""Revocations of certification decisions: one per certificate, never edited afterwards."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.timefmt import from_db, to_db


class Revocation(BaseModel):
    """A recorded revocation: the ground, the decision number and date."""

    model_config = ConfigDict(frozen=True)
    id: int
    certification_id: int
    ground: str
    decision_number: str
    decision_date: date
    recorded_by: str
    created_at: datetime


def _revocation(row: aiosqlite.Row) -> Revocation:
    return Revocation(
        id=row["id"], certification_id=row["certification_id"], ground=row["ground"],
        decision_number=row["decision_number"],
        decision_date=date.fromisoformat(row["decision_date"]),
        recorded_by=row["recorded_by"], created_at=from_db(row["created_at"]),
    )


class RevocationsRepo:
    """Revoked certificates."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def record(self, certification_id: int, *, ground: str, decision_number: str,
                     decision_date: date, by: str, now: datetime) -> int:
        """Store a revocation and return its id."""
        cur = await self._db.execute(
            "INSERT INTO revocations (certification_id, ground, decision_number, decision_date,"
            " recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (certification_id, ground, decision_number, decision_date.isoformat(), by,
             to_db(now)),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def of_certification(self, certification_id: int) -> Revocation | None:
        """The revocation of this certificate, if it was revoked."""
        async with self._db.execute(
            "SELECT * FROM revocations WHERE certification_id = ?", (certification_id,)
        ) as cur:
            row = await cur.fetchone()
        return _revocation(row) if row else None
