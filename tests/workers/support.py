"""Two workers in one test: two databases opened on the same throwaway PostgreSQL (each its
own pool of connections, as two `ocop-bot run` processes have)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import psycopg

from storage import Database, open_database


@contextlib.asynccontextmanager
async def two_workers(url: str) -> AsyncIterator[tuple[Database, Database]]:
    """The same PostgreSQL database opened twice."""
    async with open_database(url) as first, open_database(url) as second:
        yield first, second


def advisory_locks(url: str, classid: int) -> list[bool]:
    """The advisory locks of one namespace now, granted or waited for (a third session)."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT granted FROM pg_locks WHERE locktype = 'advisory' AND classid = %s",
            (classid,)).fetchall()
    return sorted(bool(row[0]) for row in rows)
