"""Rating rounds of a province, and the products entered in them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from storage.round_models import (
    DATE_FIELDS,
    UNFINISHED,
    Entry,
    NewRound,
    ProductRow,
    Round,
)
from storage.timefmt import from_db, from_db_opt, to_db


def _round(row: aiosqlite.Row) -> Round:
    data: dict[str, Any] = dict(row)
    for name in DATE_FIELDS:
        data[name] = from_db(row[name])
    data["kinds"] = tuple(json.loads(row["kinds"]))
    return Round.model_validate({k: v for k, v in data.items() if k in Round.model_fields})


def _product(row: aiosqlite.Row) -> ProductRow:
    return ProductRow(
        id=row["id"],
        producer_id=row["producer_id"],
        name=row["name"],
        status=row["status"],
        kind=row["application"],
    )


_ENTRY_SELECT = (
    "SELECT e.*, p.name AS product_name FROM round_entries e"
    " JOIN products p ON p.id = e.product_id"
)


def _entry(row: aiosqlite.Row) -> Entry:
    return Entry(
        id=row["id"],
        round_id=row["round_id"],
        product_id=row["product_id"],
        producer_id=row["producer_id"],
        product_name=row["product_name"],
        status=row["status"],
        entered_at=from_db(row["entered_at"]),
        withdrawn_at=from_db_opt(row["withdrawn_at"]),
    )


class RoundsRepo:
    """Rounds, their dates, and round entries."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]:
        async with self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def create(self, new: NewRound, by: str, now: datetime) -> int:
        """Create a round and return its id."""
        cur = await self._db.execute(
            "INSERT INTO rounds (name, province_code, kinds, registration_opens_at,"
            " registration_deadline, dossier_deadline, council_at, results_at, note, created_by,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.name,
                new.province_code,
                json.dumps(list(new.kinds)),
                *(to_db(getattr(new, name)) for name in DATE_FIELDS),
                new.note,
                by,
                to_db(now),
                to_db(now),
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def exists(self, province_code: str, name: str) -> bool:
        """Whether the province already has a round with this name."""
        rows = await self._all(
            "SELECT 1 FROM rounds WHERE province_code = ? AND name = ?", (province_code, name)
        )
        return bool(rows)

    async def get(self, round_id: int) -> Round | None:
        """The round with this id."""
        rows = await self._all("SELECT * FROM rounds WHERE id = ?", (round_id,))
        return _round(rows[0]) if rows else None

    async def current(self, province_code: str, now: datetime) -> list[Round]:
        """Active rounds of a province whose dossier deadline is still ahead, soonest first."""
        rows = await self._all(
            "SELECT * FROM rounds WHERE province_code = ? AND status = 'active'"
            " AND dossier_deadline > ? ORDER BY registration_opens_at, id",
            (province_code, to_db(now)),
        )
        return [_round(r) for r in rows]

    async def managed(self, province_code: str | None, since: datetime) -> list[Round]:
        """Active rounds an officer manages (all provinces for None) with results after `since`."""
        sql = "SELECT * FROM rounds WHERE status = 'active' AND results_at > ?"
        params: tuple[Any, ...] = (to_db(since),)
        if province_code is not None:
            sql += " AND province_code = ?"
            params = (*params, province_code)
        return [
            _round(r) for r in await self._all(f"{sql} ORDER BY registration_opens_at", params)
        ]

    async def next_open(self, province_code: str, now: datetime, after: int) -> Round | None:
        """The next active round of the province still taking registrations, other than `after`."""
        rows = await self._all(
            "SELECT * FROM rounds WHERE province_code = ? AND status = 'active' AND id != ?"
            " AND registration_deadline > ? ORDER BY registration_opens_at, id LIMIT 1",
            (province_code, after, to_db(now)),
        )
        return _round(rows[0]) if rows else None

    async def with_deadline_between(
        self, field: str, start: datetime, end: datetime
    ) -> list[Round]:
        """Active rounds whose `field` deadline falls in (start, end]."""
        if field not in ("registration_deadline", "dossier_deadline"):
            raise ValueError(field)
        rows = await self._all(
            f"SELECT * FROM rounds WHERE status = 'active' AND {field} > ? AND {field} <= ?",
            (to_db(start), to_db(end)),
        )
        return [_round(r) for r in rows]

    async def set_date(self, round_id: int, field: str, value: datetime, now: datetime) -> None:
        """Change one of a round's dates."""
        if field not in DATE_FIELDS:
            raise ValueError(field)
        await self._db.execute(
            f"UPDATE rounds SET {field} = ?, updated_at = ? WHERE id = ?",
            (to_db(value), to_db(now), round_id),
        )

    async def cancel(self, round_id: int, now: datetime) -> None:
        """Cancel a round."""
        await self._db.execute(
            "UPDATE rounds SET status = 'cancelled', updated_at = ? WHERE id = ?",
            (to_db(now), round_id),
        )

    async def entries(self, round_id: int) -> list[Entry]:
        """Products currently entered in a round."""
        rows = await self._all(
            f"{_ENTRY_SELECT} WHERE e.round_id = ? AND e.status = 'entered' ORDER BY e.id",
            (round_id,),
        )
        return [_entry(r) for r in rows]

    async def entries_of_producer(self, producer_id: int) -> list[Entry]:
        """The producer's products currently entered in any round."""
        rows = await self._all(
            f"{_ENTRY_SELECT} WHERE e.producer_id = ? AND e.status = 'entered' ORDER BY e.id",
            (producer_id,),
        )
        return [_entry(r) for r in rows]

    async def entry(self, entry_id: int) -> Entry | None:
        """One round entry."""
        rows = await self._all(f"{_ENTRY_SELECT} WHERE e.id = ?", (entry_id,))
        return _entry(rows[0]) if rows else None

    async def enter(self, round_id: int, product: ProductRow, now: datetime) -> None:
        """Enter a product in a round (again, if it was withdrawn)."""
        await self._db.execute(
            "INSERT INTO round_entries (round_id, product_id, producer_id, entered_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (round_id, product_id) DO UPDATE SET"
            " status = 'entered', entered_at = excluded.entered_at, withdrawn_at = NULL",
            (round_id, product.id, product.producer_id, to_db(now)),
        )

    async def withdraw(self, entry_id: int, now: datetime) -> None:
        """Withdraw an entered product."""
        await self._db.execute(
            "UPDATE round_entries SET status = 'withdrawn', withdrawn_at = ? WHERE id = ?",
            (to_db(now), entry_id),
        )

    async def queued_keys(self, prefix: str) -> set[str]:
        """Outbox dedupe keys starting with `prefix` (reminders already queued, to skip early)."""
        rows = await self._all(
            "SELECT dedupe_key FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ?",
            (prefix, prefix + "\uffff"),
        )
        return {r[0] for r in rows}

    async def products_of(self, producer_id: int) -> list[ProductRow]:
        """The producer's products."""
        rows = await self._all(
            "SELECT id, producer_id, name, status, application FROM products"
            " WHERE producer_id = ? ORDER BY id",
            (producer_id,),
        )
        return [_product(r) for r in rows]

    async def product(self, product_id: int) -> ProductRow | None:
        """One product."""
        rows = await self._all(
            "SELECT id, producer_id, name, status, application FROM products WHERE id = ?",
            (product_id,),
        )
        return _product(rows[0]) if rows else None

    async def active_round_of(self, product_id: int) -> int | None:
        """The active round a product is entered in, if any."""
        rows = await self._all(
            "SELECT e.round_id FROM round_entries e JOIN rounds r ON r.id = e.round_id"
            " WHERE e.product_id = ? AND e.status = 'entered' AND r.status = 'active'",
            (product_id,),
        )
        return rows[0][0] if rows else None

    async def announceable(self, now: datetime) -> list[Round]:
        """Active rounds whose registration has not closed: still worth announcing."""
        rows = await self._all(
            "SELECT * FROM rounds WHERE status = 'active' AND registration_deadline > ?"
            " ORDER BY id",
            (to_db(now),),
        )
        return [_round(r) for r in rows]

    async def producers_to_announce(self, rnd: Round) -> list[int]:
        """Producers a new round concerns and that take announcements: of its province, and,
        if it takes no first applications, only those with a product of a kind it takes."""
        rows = await self._all(
            "SELECT o.id FROM producers o WHERE o.province_code = ?"
            " AND EXISTS (SELECT 1 FROM users u WHERE u.producer_id = o.id AND u.active = 1"
            " AND u.announcements_on = 1)"
            " AND (? OR EXISTS (SELECT 1 FROM products p WHERE p.producer_id = o.id"
            " AND p.application IN (SELECT value FROM json_each(?))))"
            " ORDER BY o.id",
            (rnd.province_code, int("first" in rnd.kinds), json.dumps(list(rnd.kinds))),
        )
        return [r[0] for r in rows]

    async def producers_not_entered(self, rnd: Round) -> list[int]:
        """Producers of the round's province with a draft or submitted product that this round
        could take: of a kind it takes (or not chosen yet) and not entered in any active round."""
        rows = await self._all(
            "SELECT DISTINCT p.producer_id FROM products p"
            " JOIN producers o ON o.id = p.producer_id"
            f" WHERE o.province_code = ? AND p.status IN ({', '.join('?' * len(UNFINISHED))})"
            " AND (p.application IS NULL OR p.application IN (SELECT value FROM json_each(?)))"
            " AND NOT EXISTS (SELECT 1 FROM round_entries e JOIN rounds r ON r.id = e.round_id"
            " WHERE e.product_id = p.id AND e.status = 'entered' AND r.status = 'active')"
            " ORDER BY p.producer_id",
            (rnd.province_code, *UNFINISHED, json.dumps(list(rnd.kinds))),
        )
        return [r[0] for r in rows]
