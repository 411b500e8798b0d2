"""Wrong one-time codes (officer invites, account links), counted per account and bot-wide.

An account is remembered only as a salted hash of its channel and account id, so the count
survives personal data deletion (which removes what ties the account to a person) and says
nothing readable about who typed the codes. Rows a day old are dropped at the next code typed.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

import aiosqlite

from storage.timefmt import to_db

KEEP_FAILURES = timedelta(days=1)  # longer than any window the counts are read over
_SALT = "account_hash_salt"


class CodeFailuresRepo:
    """Record wrong codes and count them, for one account or for everyone."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def _hash(self, channel: str, external_id: str) -> str:
        async with self._db.execute(
            "SELECT value FROM db_secrets WHERE name = ?", (_SALT,)
        ) as cur:
            row = await cur.fetchone()
        assert row is not None, "the salt is drawn by a migration"
        account = f"{channel}:{external_id}".encode()
        return hmac.new(bytes.fromhex(row[0]), account, hashlib.sha256).hexdigest()

    async def prune(self, now: datetime) -> None:
        """Drop wrong codes older than KEEP_FAILURES."""
        await self._db.execute(
            "DELETE FROM code_failures WHERE at < ?", (to_db(now - KEEP_FAILURES),)
        )

    async def record(self, channel: str, external_id: str, now: datetime) -> None:
        """Remember one wrong code typed by this account now."""
        await self._db.execute(
            "INSERT INTO code_failures (account_hash, at) VALUES (?, ?)",
            (await self._hash(channel, external_id), to_db(now)),
        )

    async def of_account(self, channel: str, external_id: str, since: datetime) -> int:
        """How many wrong codes this account typed since then."""
        async with self._db.execute(
            "SELECT COUNT(*) FROM code_failures WHERE account_hash = ? AND at >= ?",
            (await self._hash(channel, external_id), to_db(since)),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def of_everyone(self, since: datetime) -> int:
        """How many wrong codes all accounts together typed since then."""
        async with self._db.execute(
            "SELECT COUNT(*) FROM code_failures WHERE at >= ?", (to_db(since),)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0
