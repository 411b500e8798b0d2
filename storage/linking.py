"""Linking one person's accounts: one-time codes, the account for notices, merged profiles."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.hashing import digest
from storage.timefmt import from_db, from_db_opt, to_db

KEEP_OLD_CODES = timedelta(days=1)  # spent codes are kept a day, to say "used" not "wrong"
# Tables of this module that refer to producers but are not moved when profiles merge.
_OWN_TABLES = frozenset({"notify_targets", "producer_merges"})


class LinkCode(BaseModel):
    """A code shown on one account, to be typed on another."""

    model_config = ConfigDict(frozen=True)
    code: str
    user_id: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by: int | None


class MergeResult(BaseModel):
    """What moving one profile's records into another did."""

    model_config = ConfigDict(frozen=True)
    moved: dict[str, int]  # "table.column" → rows moved
    left: int  # rows that could not move (a duplicate in the kept profile); profile kept then


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class LinkingRepo:
    """Link codes, notification targets and profile merges."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def create_code(
        self, user_id: int, code: str, now: datetime, expires_at: datetime
    ) -> bool:
        """Store a new code for the user (their older unused codes end); False if it is taken."""
        await self._db.execute(
            "DELETE FROM link_codes WHERE expires_at < ?", (to_db(now - KEEP_OLD_CODES),)
        )
        await self._db.execute(
            "UPDATE link_codes SET expires_at = ? WHERE user_id = ? AND used_at IS NULL"
            " AND expires_at > ?",
            (to_db(now), user_id, to_db(now)),
        )
        cur = await self._db.execute(
            "INSERT OR IGNORE INTO link_codes (code, user_id, created_at, expires_at)"
            " VALUES (?, ?, ?, ?)",
            (digest(code), user_id, to_db(now), to_db(expires_at)),
        )
        return cur.rowcount == 1

    async def code(self, code: str) -> LinkCode | None:
        """The code as stored (used or not, expired or not), found by the code typed."""
        async with self._db.execute(
            "SELECT * FROM link_codes WHERE code = ?", (digest(code),)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return LinkCode(
            code=code,  # as typed: only its digest is stored
            user_id=row["user_id"],
            created_at=from_db(row["created_at"]),
            expires_at=from_db(row["expires_at"]),
            used_at=from_db_opt(row["used_at"]),
            used_by=row["used_by"],
        )

    async def use_code(self, code: str, by_user_id: int, now: datetime) -> bool:
        """Mark a valid code used by this account; False if it was used or expired already."""
        cur = await self._db.execute(
            "UPDATE link_codes SET used_at = ?, used_by = ? WHERE code = ? AND used_at IS NULL"
            " AND expires_at > ?",
            (to_db(now), by_user_id, digest(code), to_db(now)),
        )
        return cur.rowcount == 1

    async def notify_target(self, producer_id: int) -> int | None:
        """The account chosen to receive the producer's notices, if one was chosen."""
        async with self._db.execute(
            "SELECT t.user_id FROM notify_targets t JOIN users u ON u.id = t.user_id"
            " WHERE t.producer_id = ? AND u.producer_id = t.producer_id",
            (producer_id,),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def set_notify_target(self, producer_id: int, user_id: int, now: datetime) -> None:
        """Send the producer's notices to this account from now on."""
        await self._db.execute(
            "INSERT INTO notify_targets (producer_id, user_id, chosen_at) VALUES (?, ?, ?)"
            " ON CONFLICT (producer_id) DO UPDATE SET user_id = excluded.user_id,"
            " chosen_at = excluded.chosen_at",
            (producer_id, user_id, to_db(now)),
        )

    async def merge_producers(
        self, dropped_id: int, kept_id: int, by_user_id: int, now: datetime
    ) -> MergeResult:
        """Move every record of one profile (products, accounts, …) to another, then drop it.

        Every table with a foreign key to `producers` is updated, so features added later are
        covered too. A row that would duplicate one of the kept profile stays where it is, and
        then the dropped profile is kept as well: nothing is deleted that was not moved.
        """
        async with self._db.execute(
            "SELECT m.name AS tbl, f.\"from\" AS col FROM sqlite_master m"
            " JOIN pragma_foreign_key_list(m.name) f"
            " WHERE m.type = 'table' AND f.\"table\" = 'producers' ORDER BY m.name"
        ) as cur:
            references = [(row["tbl"], row["col"]) for row in await cur.fetchall()]
        moved: dict[str, int] = {}
        left = 0
        for table, column in references:
            if table in _OWN_TABLES:
                continue
            # Identifiers come from the schema itself, never from input.
            name, col = _quote(table), _quote(column)
            cur = await self._db.execute(
                f"UPDATE OR IGNORE {name} SET {col} = ? WHERE {col} = ?", (kept_id, dropped_id)
            )
            if cur.rowcount:
                moved[f"{table}.{column}"] = cur.rowcount
            async with self._db.execute(
                f"SELECT COUNT(*) FROM {name} WHERE {col} = ?", (dropped_id,)
            ) as count:
                row = await count.fetchone()
            left += int(row[0]) if row else 0
        await self._db.execute("DELETE FROM notify_targets WHERE producer_id = ?", (dropped_id,))
        await self._db.execute(
            "INSERT INTO producer_merges (dropped_id, kept_id, moved, merged_at, merged_by)"
            " VALUES (?, ?, ?, ?, ?)",
            (dropped_id, kept_id, json.dumps(moved), to_db(now), by_user_id),
        )
        if left == 0:
            await self._db.execute("DELETE FROM producers WHERE id = ?", (dropped_id,))
        return MergeResult(moved=moved, left=left)

    async def forget_user(self, user_id: int) -> None:
        """Delete the account's codes and notice choice (personal data deletion); its count
        of wrong codes is kept, by account hash (storage/code_failures.py)."""
        await self._db.execute("DELETE FROM link_codes WHERE user_id = ?", (user_id,))
        await self._db.execute("DELETE FROM notify_targets WHERE user_id = ?", (user_id,))
