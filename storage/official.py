"""Official records: a certified product, its certificate and its OCOP product code are the
province's record of a public decision. They outlive an account: kept unclaimed when their
producer deletes its data."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.timefmt import to_db

_CERTIFIED = (
    "SELECT DISTINCT p.id FROM products p JOIN certifications c ON c.product_id = p.id"
    " WHERE p.producer_id = ? AND c.certified = 1 ORDER BY p.id"
)


class OfficialRecordsRepo:
    """Certified products kept past their producer's account."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def set_product_code(self, product_id: int, code: str | None, now: datetime) -> None:
        """Store (or clear) a product's OCOP code."""
        await self._db.execute(
            "UPDATE products SET product_code = ?, updated_at = ? WHERE id = ?",
            (code, to_db(now), product_id),
        )

    async def product_with_code(self, code: str) -> int | None:
        """The product that has this OCOP code, if any."""
        async with self._db.execute(
            "SELECT id FROM products WHERE product_code = ?", (code,)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def certified_products(self, producer_id: int) -> list[int]:
        """The producer's products that ever had a certificate (the records that stay)."""
        async with self._db.execute(_CERTIFIED, (producer_id,)) as cur:
            return [row[0] for row in await cur.fetchall()]

    async def keep_for_claim(self, producer_id: int, now: datetime) -> list[int]:
        """Before the producer's data goes: drop its other products, the kept ones' uploads
        and its contact, and list it unclaimed under its entity name; the kept product ids."""
        kept = await self.certified_products(producer_id)
        if not kept:
            return []
        marks = ",".join("?" * len(kept))
        await self._db.execute(
            f"DELETE FROM products WHERE producer_id = ? AND id NOT IN ({marks})",
            (producer_id, *kept),
        )
        for table in ("product_photos", "dossier_marks"):
            await self._db.execute(f"DELETE FROM {table} WHERE product_id IN ({marks})", kept)
        await self._db.execute(
            "UPDATE producers SET contact_person = '', phone = '', updated_at = ? WHERE id = ?",
            (to_db(now), producer_id),
        )
        await self._db.execute(
            "INSERT INTO imported_producers (producer_id, entity_known, imported_by, imported_at)"
            " VALUES (?, 1, 'account_deleted', ?) ON CONFLICT (producer_id) DO UPDATE SET"
            " claimed_by = NULL, claimed_at = NULL, claimed_how = NULL",
            (producer_id, to_db(now)),
        )
        return kept
