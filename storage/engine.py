"""Opening the bot's database on either engine: a SQLite file, or a PostgreSQL server."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from storage.busy import BusyPolicy
from storage.db import Database, open_sqlite, seed


def is_postgres(target: object) -> bool:
    """Whether a database setting names a PostgreSQL server rather than a SQLite file."""
    return str(target).startswith(("postgresql://", "postgres://"))


@contextlib.asynccontextmanager
async def open_database(
    target: Path | str, busy: BusyPolicy | None = None, pool_size: int = 8
) -> AsyncIterator[Database]:
    """Open (creating, migrating and seeding if needed) the database: `target` is a SQLite
    file's path, or a `postgresql://` URL (OCOP_DATABASE_URL; at most `pool_size`
    connections)."""
    if is_postgres(target):
        from storage.pg_database import open_postgres  # psycopg: loaded on that engine only

        async with open_postgres(str(target), busy, pool_size) as pg:
            await pg.run(seed)
            yield pg
    else:
        async with open_sqlite(target, busy) as db:
            yield db
