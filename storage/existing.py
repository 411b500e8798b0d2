"""Products certified before the bot: imported producers, products and certificates, and claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiosqlite

from storage.hashing import digest
from storage.timefmt import to_db


@dataclass(frozen=True)
class KnownProducer:
    """A producer already in the database, as an import compares against it."""

    id: int
    name: str
    phone: str
    province_code: str
    claimed: bool


@dataclass(frozen=True)
class ImportedProduct:
    """One product to create from an existing list, with its certificate."""

    producer_id: int
    name: str
    name_key: str
    group_code: str | None
    set_code: str | None
    stars: int
    score: float
    score_known: bool
    certificate_number: str | None
    decision_number: str | None
    decision_date: date | None
    decision_year: int | None
    expires_on: date | None
    authority: str
    authority_text: str
    former_province: str | None
    source_row: int
    product_code: str | None = None
    row_key: str | None = None


@dataclass(frozen=True)
class ClaimCandidate:
    """An unclaimed producer someone may claim, with what they would get."""

    producer_id: int
    name: str
    phone: str
    province_code: str
    products: tuple[str, ...]


class ExistingRepo:
    """Imports of existing certified products, and claims of their producers."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def producers(self) -> list[KnownProducer]:
        """Imported producers nobody has claimed: an import adds a list's rows to these only.
        A person's own producer is never matched: a phone or a name proves nothing."""
        async with self._db.execute(
            "SELECT p.id, p.name, p.phone, p.province_code, 0 FROM producers p"
            " JOIN imported_producers i ON i.producer_id = p.id"
            " WHERE i.claimed_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.producer_id = p.id) ORDER BY p.id"
        ) as cur:
            rows = await cur.fetchall()
        return [KnownProducer(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    async def product_keys(self) -> set[tuple[int, str]]:
        """(producer the list named, folded product name) of every imported product (a claimed
        one too: the list still names its producer as it was imported)."""
        async with self._db.execute(
            "SELECT imported_as, name_key FROM imported_products"
        ) as cur:
            return {(r[0], r[1]) for r in await cur.fetchall()}

    async def row_keys(self) -> set[str]:
        """What identifies each imported row (see handlers/claims/importing.py)."""
        async with self._db.execute(
            "SELECT row_key FROM imported_products WHERE row_key IS NOT NULL"
        ) as cur:
            return {str(r[0]) for r in await cur.fetchall()}

    async def unkeyed_rows(self) -> list[tuple[str, str, str, str, int, int | None]]:
        """Rows imported before rows had keys: (province, producer name, product name key,
        decision number, stars, decision year), to key them as a new import would."""
        async with self._db.execute(
            "SELECT p.province_code, p.name, i.name_key, coalesce(c.decision_number, ''),"
            " c.stars, i.decision_year FROM imported_products i"
            " JOIN producers p ON p.id = i.imported_as"
            " JOIN certifications c ON c.id = i.certification_id WHERE i.row_key IS NULL"
        ) as cur:
            return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in await cur.fetchall()]

    async def certificate_numbers(self) -> set[str]:
        """Every certificate number in the database, in capitals."""
        async with self._db.execute(
            "SELECT certificate_number FROM certifications WHERE certificate_number IS NOT NULL"
        ) as cur:
            return {str(r[0]).upper() for r in await cur.fetchall()}

    async def create_producer(
        self, fields: dict[str, str], entity_known: bool, actor: str, now: datetime
    ) -> int:
        """Create an unclaimed producer (no chat account) and return its id."""
        cur = await self._db.execute(
            "INSERT INTO producers (name, entity_type, contact_person, phone, province_code,"
            " commune, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (fields["name"], fields["entity_type"], fields["contact_person"], fields["phone"],
             fields["province_code"], fields["commune"], to_db(now), to_db(now)),
        )
        assert cur.lastrowid is not None
        await self._db.execute(
            "INSERT INTO imported_producers (producer_id, entity_known, imported_by, imported_at)"
            " VALUES (?, ?, ?, ?)",
            (cur.lastrowid, int(entity_known), actor, to_db(now)),
        )
        return cur.lastrowid

    async def create_product(self, item: ImportedProduct, actor: str, now: datetime) -> int:
        """Create a certified product and its certificate record; the product's id."""
        stamp = to_db(now)
        cur = await self._db.execute(
            "INSERT INTO products (producer_id, name, group_code, set_code, current_stars,"
            " current_certificate, product_code, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'certified', ?, ?)",
            (item.producer_id, item.name, item.group_code, item.set_code, item.stars,
             item.certificate_number, item.product_code, stamp, stamp),
        )
        product_id = cur.lastrowid
        assert product_id is not None
        day = item.decision_date.isoformat() if item.decision_date else None
        cur = await self._db.execute(
            "INSERT INTO certifications (product_id, score, stars, certified, certificate_number,"
            " decision_number, decision_date, issued_on, expires_on, recorded_by, created_at)"
            " VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
            (product_id, item.score, item.stars, item.certificate_number, item.decision_number,
             day, day, item.expires_on.isoformat() if item.expires_on else None, actor, stamp),
        )
        await self._db.execute(
            "INSERT INTO imported_products (product_id, certification_id, imported_as, name_key,"
            " former_province, authority, authority_text, score_known, decision_year,"
            " source_row, imported_at, row_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (product_id, cur.lastrowid, item.producer_id, item.name_key, item.former_province,
             item.authority, item.authority_text, int(item.score_known), item.decision_year,
             item.source_row, stamp, item.row_key),
        )
        if item.former_province:
            # the province figures break producers down by their former province
            await self._db.execute(
                "INSERT OR IGNORE INTO producer_origins (producer_id, former_province)"
                " VALUES (?, ?)",
                (item.producer_id, item.former_province),
            )
        await self._db.execute(
            "INSERT INTO product_events (product_id, at, kind, actor, note)"
            " VALUES (?, ?, 'imported', ?, ?)",
            (product_id, stamp, actor, item.certificate_number),
        )
        return product_id

    async def unclaimed(
        self, province_code: str | None = None, producer_id: int | None = None
    ) -> list[ClaimCandidate]:
        """Imported producers nobody has claimed yet (of a province, or one of them), with
        their product names."""
        async with self._db.execute(
            "SELECT p.id, p.name, p.phone, p.province_code,"
            " group_concat(pr.name, char(31)) FROM producers p"
            " JOIN imported_producers i ON i.producer_id = p.id"
            " LEFT JOIN products pr ON pr.producer_id = p.id"
            " WHERE i.claimed_at IS NULL AND (? IS NULL OR p.province_code = ?)"
            " AND (? IS NULL OR p.id = ?) GROUP BY p.id ORDER BY p.id",
            (province_code, province_code, producer_id, producer_id),
        ) as cur:
            rows = await cur.fetchall()
        return [
            ClaimCandidate(r[0], r[1], r[2], r[3], tuple((r[4] or "").split("\x1f")) if r[4]
                           else ())
            for r in rows
        ]

    async def candidate(self, producer_id: int) -> ClaimCandidate | None:
        """The unclaimed producer with this id, if it is one."""
        return next(iter(await self.unclaimed(producer_id=producer_id)), None)

    async def add_code(
        self, code: str, producer_id: int, by: str, now: datetime, expires_at: datetime
    ) -> None:
        """Store a one-time claim code for a producer."""
        await self._db.execute(
            "INSERT INTO claim_codes (code, producer_id, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (digest(code), producer_id, by, to_db(now), to_db(expires_at)),
        )

    async def use_code(
        self, code: str, producer_id: int, user_id: int, now: datetime
    ) -> bool:
        """Spend a live claim code drawn for this producer; False if it is not one."""
        cur = await self._db.execute(
            "UPDATE claim_codes SET used_at = ?, used_by = ? WHERE code = ? AND producer_id = ?"
            " AND used_at IS NULL AND expires_at > ?",
            (to_db(now), user_id, digest(code), producer_id, to_db(now)),
        )
        return cur.rowcount == 1

    async def code_producer(self, code: str, now: datetime) -> int | None:
        """The unclaimed producer a live, unused claim code was drawn for (a deep link's)."""
        async with self._db.execute(
            "SELECT producer_id FROM claim_codes WHERE code = ? AND used_at IS NULL"
            " AND expires_at > ?", (digest(code), to_db(now)),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def request(self, producer_id: int, user_id: int, now: datetime) -> int:
        """Ask the province's officers to approve a claim; the request's id."""
        cur = await self._db.execute(
            "INSERT INTO claim_requests (producer_id, user_id, created_at) VALUES (?, ?, ?)",
            (producer_id, user_id, to_db(now)),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def open_request(self, request_id: int) -> dict[str, Any] | None:
        """A claim request not yet decided."""
        async with self._db.execute(
            "SELECT * FROM claim_requests WHERE id = ? AND decided_at IS NULL", (request_id,)
        ) as cur:
            row = await cur.fetchone()
        return dict(row) if row else None

    async def open_requests(self, province_code: str | None) -> list[dict[str, Any]]:
        """Claim requests waiting for an officer (of a province, or all), oldest first."""
        async with self._db.execute(
            "SELECT r.id, r.producer_id, r.user_id, r.created_at, p.name AS producer,"
            " p.province_code, mine.name AS asker, mine.phone AS asker_phone"
            " FROM claim_requests r JOIN producers p ON p.id = r.producer_id"
            " JOIN users u ON u.id = r.user_id"
            " LEFT JOIN producers mine ON mine.id = u.producer_id"
            " WHERE r.decided_at IS NULL AND (? IS NULL OR p.province_code = ?) ORDER BY r.id",
            (province_code, province_code),
        ) as cur:
            return [dict(row) for row in await cur.fetchall()]

    async def decide(self, request_id: int, by: str, approved: bool, now: datetime) -> None:
        """Record an officer's decision on a claim request."""
        await self._db.execute(
            "UPDATE claim_requests SET decided_at = ?, decided_by = ?, approved = ? WHERE id = ?",
            (to_db(now), by, int(approved), request_id),
        )

    async def export_rows(
        self, province_code: str | None, former: str | None = None
    ) -> list[dict[str, Any]]:
        """Every product for the officers' spreadsheet (of a province, or of a former
        province's imported list), with its latest certificate and import details."""
        async with self._db.execute(
            "SELECT pr.id, pr.name, pr.current_stars, pr.set_code, pr.status,"
            " p.name AS producer, p.entity_type, p.contact_person, p.phone, p.province_code,"
            " p.commune, p.commune_typed, pr.submitted_at, c.score, c.stars, c.decision_number,"
            " c.decision_date, c.expires_on,"
            " c.certificate_number, pr.product_code, i.former_province, i.authority,"
            " i.authority_text,"
            " i.score_known, i.decision_year,"
            " coalesce((SELECT ip.entity_known FROM imported_producers ip"
            "   WHERE ip.producer_id = p.id AND ip.claimed_at IS NULL), 1) AS entity_known,"
            " EXISTS (SELECT 1 FROM users u WHERE u.producer_id = p.id) AS claimed,"
            " r.decision_number AS revoked, r.decision_date AS revoked_on"
            " FROM products pr JOIN producers p ON p.id = pr.producer_id"
            " LEFT JOIN certifications c ON c.id = (SELECT max(id) FROM certifications"
            "   WHERE product_id = pr.id)"
            " LEFT JOIN imported_products i ON i.product_id = pr.id"
            " LEFT JOIN revocations r ON r.certification_id = c.id"
            " WHERE (? IS NULL OR p.province_code = ?) AND (? IS NULL OR i.former_province = ?)",
            (province_code, province_code, former, former),
        ) as cur:
            return [dict(row) for row in await cur.fetchall()]
