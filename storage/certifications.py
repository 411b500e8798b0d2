"""Rating results and certificates: recorded once, looked up for notices and reminders."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from storage.product_models import Certification
from storage.timefmt import from_db, to_db


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _certification(row: aiosqlite.Row) -> Certification:
    return Certification(
        id=row["id"],
        product_id=row["product_id"],
        score=row["score"],
        stars=row["stars"],
        certified=bool(row["certified"]),
        certificate_number=row["certificate_number"],
        decision_number=row["decision_number"],
        decision_date=_date(row["decision_date"]),
        issued_on=_date(row["issued_on"]),
        expires_on=_date(row["expires_on"]),
        recorded_by=row["recorded_by"],
        created_at=from_db(row["created_at"]),
    )


class CertificationsRepo:
    """Rating results of products."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def record(
        self,
        product_id: int,
        *,
        score: float,
        stars: int,
        certified: bool,
        certificate_number: str | None,
        decision_number: str | None,
        decision_date: date | None,
        expires_on: date | None,
        recorded_by: str,
        now: datetime,
    ) -> int:
        """Store a rating result and return its id."""
        cur = await self._db.execute(
            "INSERT INTO certifications (product_id, score, stars, certified, certificate_number,"
            " decision_number, decision_date, issued_on, expires_on, recorded_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                product_id,
                score,
                stars,
                int(certified),
                certificate_number,
                decision_number,
                decision_date.isoformat() if decision_date else None,
                decision_date.isoformat() if decision_date and certified else None,
                expires_on.isoformat() if expires_on else None,
                recorded_by,
                to_db(now),
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def get(self, certification_id: int) -> Certification | None:
        """The result with this id."""
        async with self._db.execute(
            "SELECT * FROM certifications WHERE id = ?", (certification_id,)
        ) as cur:
            row = await cur.fetchone()
        return _certification(row) if row else None

    async def latest_for(self, product_id: int) -> Certification | None:
        """The product's latest rating result."""
        async with self._db.execute(
            "SELECT * FROM certifications WHERE product_id = ? ORDER BY id DESC LIMIT 1",
            (product_id,),
        ) as cur:
            row = await cur.fetchone()
        return _certification(row) if row else None

    async def by_number(self, certificate_number: str) -> Certification | None:
        """The certificate with this number (compared without case)."""
        async with self._db.execute(
            "SELECT * FROM certifications WHERE certificate_number = ? COLLATE NOCASE",
            (certificate_number,),
        ) as cur:
            row = await cur.fetchone()
        return _certification(row) if row else None

    async def number_used(self, certificate_number: str) -> bool:
        """Whether a certificate number is already taken (compared without case)."""
        async with self._db.execute(
            "SELECT 1 FROM certifications WHERE certificate_number = ? COLLATE NOCASE",
            (certificate_number,),
        ) as cur:
            return await cur.fetchone() is not None

    async def expiring_between(self, start: date, end: date,
                               reachable: bool = False) -> list[Certification]:
        """Current certificates (not replaced by a newer result, not revoked) expiring in
        [start, end]; with `reachable`, only those whose producer has an active account."""
        reach = (" AND EXISTS (SELECT 1 FROM products p JOIN users u ON u.producer_id ="
                 " p.producer_id WHERE p.id = c.product_id AND u.active = 1)") if reachable else ""
        async with self._db.execute(
            "SELECT * FROM certifications c WHERE c.certified = 1 AND c.expires_on >= ?"
            " AND c.expires_on <= ? AND NOT EXISTS (SELECT 1 FROM certifications newer"
            " WHERE newer.product_id = c.product_id AND newer.id > c.id)"
            " AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.certification_id = c.id)"
            f"{reach} ORDER BY c.expires_on, c.id",
            (start.isoformat(), end.isoformat()),
        ) as cur:
            return [_certification(row) for row in await cur.fetchall()]

    async def of_products(self, product_ids: list[int]) -> dict[int, Certification]:
        """The latest result of each product that has one."""
        found: dict[int, Certification] = {}
        for product_id in product_ids:
            if (cert := await self.latest_for(product_id)) is not None:
                found[product_id] = cert
        return found
