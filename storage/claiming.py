"""Claims that merge an imported producer into a person's account, and printed invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.audience import AUDIENCE_FILTERS
from storage.linking import LinkingRepo
from storage.timefmt import to_db


@dataclass(frozen=True)
class Funnel:
    """Imported producers of a province: still unclaimed, invited, claimed, claimed once
    invited."""

    unclaimed: int
    invited: int
    claimed: int
    claimed_invited: int


class ClaimingRepo:
    """The merge a verified claim makes, and the invitations printed for unclaimed producers."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def claim(self, producer_id: int, user_id: int, how: str, now: datetime) -> int:
        """Merge an unclaimed imported producer into the user's producer (its products, their
        certificates and origins move; the imported record is deleted with its personal
        data); how many products moved."""
        async with self._db.execute(
            "SELECT u.producer_id, p.province_code FROM users u, producers p"
            " WHERE u.id = ? AND p.id = ?", (user_id, producer_id),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None and row[0] is not None
        kept, province = int(row[0]), str(row[1])
        async with self._db.execute(
            "SELECT COUNT(*) FROM products WHERE producer_id = ?", (producer_id,)
        ) as cur:
            counted = await cur.fetchone()
        moved = int(counted[0]) if counted else 0
        await self._db.execute(
            "INSERT OR REPLACE INTO producer_claims (imported_id, province_code, kept_id,"
            " claimed_by, claimed_how, claimed_at, products) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (producer_id, province, kept, user_id, how, to_db(now), moved),
        )
        await self._db.execute(
            "UPDATE producers SET commune = (SELECT commune FROM producers WHERE id = ?)"
            " WHERE id = ? AND commune = ''", (producer_id, kept),
        )
        await self._db.execute(
            "DELETE FROM producer_origins WHERE producer_id = ?"
            " AND EXISTS (SELECT 1 FROM producer_origins WHERE producer_id = ?)",
            (producer_id, kept),
        )
        for table in ("imported_producers", "claim_codes", "claim_requests"):
            # the claim is recorded above; codes and requests for the producer are spent
            await self._db.execute(f"DELETE FROM {table} WHERE producer_id = ?", (producer_id,))
        await self._db.execute(
            "INSERT INTO product_events (product_id, at, kind, actor, note)"
            " SELECT id, ?, 'claimed', ?, ? FROM products WHERE producer_id = ?",
            (to_db(now), f"user:{user_id}", how, producer_id),
        )
        await self._db.execute(
            "UPDATE products SET updated_at = ? WHERE producer_id = ?", (to_db(now), producer_id)
        )
        await LinkingRepo(self._db).merge_producers(producer_id, kept, user_id, now)
        await self._db.execute(
            "UPDATE producers SET name = '', contact_person = '', phone = '' WHERE id = ?",
            (producer_id,),
        )  # only reached when something could not move: it keeps no personal data then
        return moved

    async def invited(
        self, producer_ids: list[int], province_code: str, by: str, now: datetime
    ) -> None:
        """Record that invitations were printed for these producers."""
        await self._db.executemany(
            "INSERT INTO producer_invitations (producer_id, province_code, first_at, last_at,"
            " printed_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (producer_id) DO UPDATE SET"
            " last_at = excluded.last_at, printed_by = excluded.printed_by",
            [(pid, province_code, to_db(now), to_db(now), by) for pid in producer_ids],
        )

    async def unclaimed_count(
        self, province: str | None, filters: list[tuple[str, str]]
    ) -> int:
        """Imported producers no one has claimed who match a broadcast's audience filters:
        the announcement cannot reach them (the invitations can)."""
        sql = (
            "SELECT COUNT(*) FROM producers p JOIN imported_producers i"
            " ON i.producer_id = p.id WHERE i.claimed_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.producer_id = p.id)"
            " AND (? IS NULL OR p.province_code = ?)"
        )
        params: list[Any] = [province, province]
        for key, value in filters:
            condition = AUDIENCE_FILTERS[key].condition  # a condition on producer `p`
            sql += " AND (" + condition.replace(":value", "?") + ")"
            params.extend([value] * condition.count(":value"))
        async with self._db.execute(sql, params) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def unoffered_matches(self, limit: int = 200) -> list[tuple[int, int]]:
        """(person's producer, unclaimed imported producer) pairs with the same phone, or the
        same name in the same province, that were not offered yet."""
        unclaimed = (
            "FROM imported_producers i JOIN producers q ON q.id = i.producer_id"
            " JOIN producers p ON p.id != q.id AND {same}"
            " WHERE i.claimed_at IS NULL"
            " AND EXISTS (SELECT 1 FROM users u WHERE u.producer_id = p.id)"
            " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.producer_id = q.id)"
            " AND NOT EXISTS (SELECT 1 FROM claim_offers o"
            "   WHERE o.imported_id = q.id AND o.producer_id = p.id)"
        )
        by_phone = unclaimed.format(same="q.phone != '' AND p.phone = q.phone")
        by_name = unclaimed.format(
            same="q.name != '' AND p.province_code = q.province_code AND p.name = q.name")
        async with self._db.execute(
            f"SELECT p.id, q.id {by_phone} UNION SELECT p.id, q.id {by_name}"
            " ORDER BY 2, 1 LIMIT ?", (limit,),
        ) as cur:
            return [(int(r[0]), int(r[1])) for r in await cur.fetchall()]

    async def offered(self, producer_id: int, imported_id: int, now: datetime) -> None:
        """Record that the person was told of the imported producer (told once)."""
        await self._db.execute(
            "INSERT OR IGNORE INTO claim_offers (imported_id, producer_id, offered_at)"
            " VALUES (?, ?, ?)", (imported_id, producer_id, to_db(now)),
        )

    async def funnel(self, province_code: str | None) -> Funnel:
        """Unclaimed, invited, claimed and claimed-after-an-invitation imported producers."""
        async with self._db.execute(
            "SELECT"
            " (SELECT COUNT(*) FROM imported_producers i JOIN producers p ON p.id = i.producer_id"
            "   WHERE i.claimed_at IS NULL AND (? IS NULL OR p.province_code = ?)),"
            " (SELECT COUNT(*) FROM producer_invitations WHERE ? IS NULL OR province_code = ?),"
            " (SELECT COUNT(*) FROM producer_claims WHERE ? IS NULL OR province_code = ?),"
            " (SELECT COUNT(*) FROM producer_claims c JOIN producer_invitations v"
            "   ON v.producer_id = c.imported_id WHERE ? IS NULL OR c.province_code = ?)",
            (province_code,) * 8,  # plain placeholders: the same text runs on PostgreSQL
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return Funnel(int(row[0]), int(row[1]), int(row[2]), int(row[3]))
