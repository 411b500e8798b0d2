"""Products, their photos, dossier marks and history events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from storage.product_models import (
    DossierMark,
    Product,
    ProductEvent,
    ProductPhoto,
    ProductStatus,
)
from storage.timefmt import from_db, from_db_opt, to_db

# Columns a registration answer may set (names never come from user input).
PRODUCT_FIELDS = (
    "name",
    "group_code",
    "set_code",
    "application",
    "current_stars",
    "current_certificate",
    "description",
    "raw_material",
    "origin",
)


def _product(row: aiosqlite.Row) -> Product:
    data: dict[str, Any] = {key: row[key] for key in row.keys()}  # noqa: SIM118
    data["status"] = ProductStatus(row["status"])
    data["created_at"] = from_db(row["created_at"])
    data["updated_at"] = from_db(row["updated_at"])
    data["submitted_at"] = from_db_opt(row["submitted_at"])
    return Product(**{k: v for k, v in data.items() if k in Product.model_fields})


# A dossier still at its commune (the commune's check is open) is not the province's yet.
_NOT_AT_COMMUNE = ("NOT EXISTS (SELECT 1 FROM commune_reviews cr WHERE cr.product_id = p.id"
                   " AND cr.decided_at IS NULL)")


class ProductsRepo:
    """A producer's products and everything hanging off them."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def _many(self, sql: str, params: tuple[Any, ...]) -> list[Product]:
        async with self._db.execute(sql, params) as cur:
            return [_product(row) for row in await cur.fetchall()]

    async def create_draft(self, producer_id: int, now: datetime) -> int:
        """Start a new product as a draft and return its id."""
        cur = await self._db.execute(
            "INSERT INTO products (producer_id, created_at, updated_at) VALUES (?, ?, ?)",
            (producer_id, to_db(now), to_db(now)),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def get(self, product_id: int) -> Product | None:
        """The product with this id, whoever owns it."""
        found = await self._many("SELECT * FROM products WHERE id = ?", (product_id,))
        return found[0] if found else None

    async def owned(self, product_id: int, producer_id: int | None) -> Product | None:
        """The product if it belongs to this producer; None otherwise."""
        if producer_id is None:
            return None
        found = await self._many(
            "SELECT * FROM products WHERE id = ? AND producer_id = ?", (product_id, producer_id)
        )
        return found[0] if found else None

    async def of_producer(self, producer_id: int) -> list[Product]:
        """Every product of a producer, newest first."""
        return await self._many(
            "SELECT * FROM products WHERE producer_id = ? ORDER BY id DESC", (producer_id,)
        )

    async def drafts_of(self, producer_id: int) -> list[Product]:
        """A producer's unfinished registrations, most recently touched first."""
        return await self._many(
            "SELECT * FROM products WHERE producer_id = ? AND status = 'draft'"
            " ORDER BY updated_at DESC, id DESC",
            (producer_id,),
        )

    async def set_field(self, product_id: int, field: str, value: Any, now: datetime) -> None:
        """Save one registration answer."""
        if field not in PRODUCT_FIELDS:
            raise ValueError(f"unknown product field {field!r}")
        await self._db.execute(
            f"UPDATE products SET {field} = ?, updated_at = ? WHERE id = ?",
            (value, to_db(now), product_id),
        )

    async def set_status(self, product_id: int, status: ProductStatus, now: datetime) -> None:
        """Move a product to a new status (submitting stamps the submission time)."""
        if status is ProductStatus.SUBMITTED:
            await self._db.execute(
                "UPDATE products SET status = ?, updated_at = ?, submitted_at = ? WHERE id = ?",
                (status.value, to_db(now), to_db(now), product_id),
            )
            return
        await self._db.execute(
            "UPDATE products SET status = ?, updated_at = ? WHERE id = ?",
            (status.value, to_db(now), product_id),
        )

    async def province_of(self, product_id: int) -> str | None:
        """The province of the product's producer."""
        async with self._db.execute(
            "SELECT pr.province_code FROM products p JOIN producers pr ON pr.id = p.producer_id"
            " WHERE p.id = ?",
            (product_id,),
        ) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def in_status(
        self, status: ProductStatus, province_code: str | None, limit: int = 50
    ) -> list[Product]:
        """Products in a status (of one province, or all), oldest submission first; not those
        still at their commune."""
        sql = (
            "SELECT p.* FROM products p JOIN producers pr ON pr.id = p.producer_id"
            f" WHERE p.status = ? AND {_NOT_AT_COMMUNE}"
        )
        params: tuple[Any, ...] = (status.value,)
        if province_code is not None:
            sql += " AND pr.province_code = ?"
            params = (*params, province_code)
        sql += " ORDER BY COALESCE(p.submitted_at, p.updated_at), p.id LIMIT ?"
        return await self._many(sql, (*params, limit))

    async def count_in_status(self, status: ProductStatus, province_code: str | None) -> int:
        """How many products are in a status (of one province, or all)."""
        sql = (
            "SELECT COUNT(*) FROM products p JOIN producers pr ON pr.id = p.producer_id"
            " WHERE p.status = ? AND (? IS NULL OR pr.province_code = ?)"
            f" AND {_NOT_AT_COMMUNE}"
        )
        async with self._db.execute(sql, (status.value, province_code, province_code)) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def add_photo(
        self,
        product_id: int,
        channel: str,
        file_id: str,
        mime: str | None,
        size: int | None,
        now: datetime,
    ) -> int:
        """Keep a photo of the product; returns how many it has now."""
        await self._db.execute(
            "INSERT INTO product_photos (product_id, channel, file_id, mime, size, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (product_id, channel, file_id, mime, size, to_db(now)),
        )
        return len(await self.photos(product_id))

    async def photos(self, product_id: int) -> list[ProductPhoto]:
        """The product's photos, in the order they came."""
        async with self._db.execute(
            "SELECT * FROM product_photos WHERE product_id = ? ORDER BY id", (product_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [
            ProductPhoto(
                id=r["id"],
                channel=r["channel"],
                file_id=r["file_id"],
                mime=r["mime"],
                size=r["size"],
            )
            for r in rows
        ]

    async def clear_photos(self, product_id: int) -> None:
        """Forget the product's photos (to send new ones)."""
        await self._db.execute("DELETE FROM product_photos WHERE product_id = ?", (product_id,))

    async def mark_item(
        self,
        product_id: int,
        item_code: str,
        how: str,
        now: datetime,
        channel: str | None = None,
        file_id: str | None = None,
        mime: str | None = None,
    ) -> None:
        """Mark a dossier item ready, by a file or on paper (replacing an earlier mark)."""
        await self._db.execute(
            "INSERT INTO dossier_marks (product_id, item_code, how, channel, file_id, mime,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product_id, item_code)"
            " DO UPDATE SET how = excluded.how, channel = excluded.channel,"
            " file_id = excluded.file_id, mime = excluded.mime, updated_at = excluded.updated_at",
            (product_id, item_code, how, channel, file_id, mime, to_db(now)),
        )

    async def unmark_item(self, product_id: int, item_code: str) -> None:
        """Mark a dossier item as not ready again."""
        await self._db.execute(
            "DELETE FROM dossier_marks WHERE product_id = ? AND item_code = ?",
            (product_id, item_code),
        )

    async def marks(self, product_id: int) -> dict[str, DossierMark]:
        """The dossier items marked ready, by item code."""
        async with self._db.execute(
            "SELECT * FROM dossier_marks WHERE product_id = ?", (product_id,)
        ) as cur:
            rows = await cur.fetchall()
        return {
            r["item_code"]: DossierMark(
                item_code=r["item_code"],
                how=r["how"],
                channel=r["channel"],
                file_id=r["file_id"],
                mime=r["mime"],
            )
            for r in rows
        }

    async def add_event(
        self, product_id: int, kind: str, actor: str, now: datetime, note: str | None = None
    ) -> int:
        """Append a line to the product's history and return its id."""
        cur = await self._db.execute(
            "INSERT INTO product_events (product_id, at, kind, actor, note)"
            " VALUES (?, ?, ?, ?, ?)",
            (product_id, to_db(now), kind, actor, note),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def events(self, product_id: int) -> list[ProductEvent]:
        """The product's history, oldest first."""
        async with self._db.execute(
            "SELECT * FROM product_events WHERE product_id = ? ORDER BY id", (product_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [
            ProductEvent(
                id=r["id"], at=from_db(r["at"]), kind=r["kind"], actor=r["actor"], note=r["note"]
            )
            for r in rows
        ]

    async def last_note(self, product_id: int, kind: str) -> str | None:
        """The note of the latest event of a kind (the officer's reason for a return)."""
        events = [e for e in await self.events(product_id) if e.kind == kind]
        return events[-1].note if events else None

    async def former_provinces(self, province_code: str | None) -> list[tuple[str, str]]:
        """The former provinces (before 01/7/2025) of a province's producers: (value, name)."""
        async with self._db.execute(
            "SELECT DISTINCT o.former_province"
            " FROM producer_origins o JOIN producers pr ON pr.id = o.producer_id"
            " WHERE ? IS NULL OR pr.province_code = ? ORDER BY o.former_province",
            (province_code, province_code),
        ) as cur:
            return [(row[0], row[0]) for row in await cur.fetchall()]

    async def export_rows(self, province_code: str | None) -> list[dict[str, Any]]:
        """Products with their producer's contact, for an officer's spreadsheet."""
        sql = (
            "SELECT p.id, p.name, p.status, p.group_code, p.set_code, p.application,"
            " p.submitted_at, p.updated_at, pr.name AS producer, pr.contact_person, pr.phone,"
            " pr.province_code, pr.commune, pr.commune_code,"
            " (SELECT COUNT(*) FROM dossier_marks m JOIN dossier_items i ON i.code = m.item_code"
            " WHERE m.product_id = p.id AND i.optional = 0) AS marked,"
            " (SELECT c.stars FROM certifications c WHERE c.product_id = p.id"
            "   ORDER BY c.id DESC LIMIT 1) AS stars,"
            " (SELECT c.expires_on FROM certifications c WHERE c.product_id = p.id"
            "   AND c.certified = 1 ORDER BY c.id DESC LIMIT 1) AS expires_on,"
            " (SELECT r.decision_number FROM revocations r WHERE r.certification_id ="
            "   (SELECT MAX(c.id) FROM certifications c WHERE c.product_id = p.id"
            "   AND c.certified = 1)) AS revoked,"
            " EXISTS (SELECT 1 FROM users u WHERE u.producer_id = pr.id) AS claimed,"
            " (SELECT o.former_province FROM producer_origins o WHERE o.producer_id = pr.id)"
            "   AS former_province"
            " FROM products p JOIN producers pr ON pr.id = p.producer_id"
        )
        params: tuple[Any, ...] = ()
        if province_code is not None:
            sql += " WHERE pr.province_code = ?"
            params = (province_code,)
        async with self._db.execute(f"{sql} ORDER BY p.id", params) as cur:
            return [dict(row) for row in await cur.fetchall()]
