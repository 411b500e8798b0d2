"""The commune's step: commune officers, each dossier's check by the commune, extra days off."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.timefmt import from_db, to_db


class CommuneReview(BaseModel):
    """A dossier's check by its commune: open until forwarded or returned."""

    model_config = ConfigDict(frozen=True)
    id: int
    product_id: int
    province_code: str
    commune: str
    commune_key: str
    received_at: datetime
    due_on: date
    assessment: dict[str, Any]
    decided_at: datetime | None
    outcome: str | None


def _review(row: aiosqlite.Row) -> CommuneReview:
    return CommuneReview(
        id=row["id"], product_id=row["product_id"], province_code=row["province_code"],
        commune=row["commune"], commune_key=row["commune_key"],
        received_at=from_db(row["received_at"]), due_on=date.fromisoformat(row["due_on"]),
        assessment=json.loads(row["assessment"]),
        decided_at=from_db(row["decided_at"]) if row["decided_at"] else None,
        outcome=row["outcome"],
    )


class CommunesRepo:
    """Commune officers, commune checks and extra days off."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def officer_ids(self, province_code: str, commune_key: str) -> list[int]:
        """The users who are commune officers of this commune."""
        async with self._db.execute(
            "SELECT user_id FROM roles WHERE role = 'commune_officer' AND province_code = ?"
            " AND commune_key = ? ORDER BY user_id", (province_code, commune_key),
        ) as cur:
            return [row[0] for row in await cur.fetchall()]

    async def commune_of(self, user_id: int) -> tuple[str, str, str] | None:
        """A commune officer's (province code, commune as granted, its folded key)."""
        async with self._db.execute(
            "SELECT province_code, commune, commune_key FROM roles WHERE user_id = ?"
            " AND role = 'commune_officer'", (user_id,),
        ) as cur:
            row = await cur.fetchone()
        return (row[0], row[1], row[2]) if row else None

    async def set_commune(self, user_id: int, commune: str, key: str) -> None:
        """Tie a commune officer's role to its commune."""
        await self._db.execute(
            "UPDATE roles SET commune = ?, commune_key = ? WHERE user_id = ?",
            (commune, key, user_id),
        )

    async def open_review(self, product_id: int, province_code: str, commune: str, key: str,
                          now: datetime, due_on: date) -> int:
        """Start the commune's check of a dossier just sent."""
        cur = await self._db.execute(
            "INSERT INTO commune_reviews (product_id, province_code, commune, commune_key,"
            " received_at, due_on) VALUES (?, ?, ?, ?, ?, ?)",
            (product_id, province_code, commune, key, to_db(now), due_on.isoformat()),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def open_for(self, product_id: int) -> CommuneReview | None:
        """The product's check still open at the commune, if any."""
        async with self._db.execute(
            "SELECT * FROM commune_reviews WHERE product_id = ? AND decided_at IS NULL",
            (product_id,),
        ) as cur:
            row = await cur.fetchone()
        return _review(row) if row else None

    async def latest_for(self, product_id: int) -> CommuneReview | None:
        """The product's last check by its commune (open or closed), if any."""
        async with self._db.execute(
            "SELECT * FROM commune_reviews WHERE product_id = ? ORDER BY id DESC LIMIT 1",
            (product_id,),
        ) as cur:
            row = await cur.fetchone()
        return _review(row) if row else None

    async def open_reviews(self, province_code: str | None = None,
                           commune_key: str | None = None) -> list[CommuneReview]:
        """Open checks (of a province, of a commune), the oldest first."""
        async with self._db.execute(
            "SELECT * FROM commune_reviews WHERE decided_at IS NULL AND (? IS NULL OR"
            " province_code = ?) AND (? IS NULL OR commune_key = ?) ORDER BY received_at, id",
            (province_code, province_code, commune_key, commune_key),
        ) as cur:
            return [_review(row) for row in await cur.fetchall()]

    async def closed_reviews(self, province_code: str | None, commune_key: str | None,
                             since: datetime, limit: int = 200) -> list[CommuneReview]:
        """Checks closed (forwarded or returned) since a moment, the latest first: each
        dossier's last check only, and none of a dossier back at its commune."""
        async with self._db.execute(
            "SELECT * FROM commune_reviews r WHERE r.decided_at IS NOT NULL AND r.decided_at >= ?"
            " AND (? IS NULL OR r.province_code = ?) AND (? IS NULL OR r.commune_key = ?)"
            " AND r.id = (SELECT MAX(x.id) FROM commune_reviews x WHERE x.product_id ="
            " r.product_id) ORDER BY r.decided_at DESC, r.id DESC LIMIT ?",
            (to_db(since), province_code, province_code, commune_key, commune_key, limit),
        ) as cur:
            return [_review(row) for row in await cur.fetchall()]

    async def save_assessment(self, review_id: int, assessment: dict[str, Any]) -> None:
        """Keep the Mẫu 03 answers given so far."""
        await self._db.execute(
            "UPDATE commune_reviews SET assessment = ? WHERE id = ?",
            (json.dumps(assessment, ensure_ascii=False), review_id),
        )

    async def decide(self, review_id: int, outcome: str, by: str, now: datetime) -> None:
        """Close the check: forwarded to the province, or returned to the producer."""
        await self._db.execute(
            "UPDATE commune_reviews SET outcome = ?, decided_by = ?, decided_at = ?"
            " WHERE id = ?", (outcome, by, to_db(now), review_id),
        )

    async def days_off(self) -> dict[date, str]:
        """The days off an officer added beyond the public holidays."""
        async with self._db.execute("SELECT day, name FROM extra_days_off") as cur:
            return {date.fromisoformat(r[0]): r[1] for r in await cur.fetchall()}

    async def add_day_off(self, day: date, name: str, by: str, now: datetime) -> None:
        """Add (or rename) a day off."""
        await self._db.execute(
            "INSERT INTO extra_days_off (day, name, added_by, added_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (day) DO UPDATE SET name = excluded.name",
            (day.isoformat(), name, by, to_db(now)),
        )
