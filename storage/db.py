"""One long-lived aiosqlite connection, its migrations and its transactions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path

import aiosqlite

from storage.store import Store

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


class Database:
    """The bot's SQLite database: one connection, one transaction at a time."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Store]:
        """Run a block in one write transaction; commit on success, roll back on error."""
        async with self._lock:
            await self._begin()
            try:
                yield Store(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    async def _begin(self) -> None:
        # The BEGIN runs on in aiosqlite's thread even if this task is cancelled while it
        # waits (for another writer's lock, say): let it finish and roll it back, or the
        # connection stays inside a transaction and every later BEGIN fails.
        begin = asyncio.ensure_future(self._conn.execute("BEGIN IMMEDIATE"))
        try:
            await asyncio.shield(begin)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await begin
                await self._conn.execute("ROLLBACK")
            raise

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


async def _migrate(conn: aiosqlite.Connection) -> None:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
    )
    async with conn.execute("SELECT version FROM schema_version") as cur:
        applied = {row[0] for row in await cur.fetchall()}
    for version, name, sql in _migrations():
        if version in applied:
            continue
        log.info("applying migration %s", name)
        # executescript commits on its own; the version row goes in the same script.
        await conn.executescript(
            f"BEGIN IMMEDIATE;\n{sql}\n;"
            f"INSERT INTO schema_version (version, name) VALUES ({version}, '{name}');\nCOMMIT;"
        )


@contextlib.asynccontextmanager
async def open_database(path: Path | str) -> AsyncIterator[Database]:
    """Open (creating and migrating if needed) the database at `path`."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await _migrate(conn)
        database = Database(conn)
        async with database.transaction() as store:
            # each repository seeds its own tables from the bundled files
            await store.reference.load_bundled()  # provinces, entity types
            await store.catalog.load_bundled()  # product groups, dossier items, star bands
            await store.trainings.load_bundled()  # training topics
        yield database
    finally:
        await conn.close()
