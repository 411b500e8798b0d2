"""One long-lived aiosqlite connection, its migrations and its transactions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TypeVar, cast

import aiosqlite

from storage.busy import BusyPolicy, DatabaseBusy, is_busy
from storage.hashing import digest
from storage.inline import InlineConnection
from storage.schema import migrations, refuse_newer
from storage.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")


class Database:
    """The bot's SQLite database: one connection, one transaction at a time."""

    engine = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, busy: BusyPolicy | None = None) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.busy = busy or BusyPolicy()
        self.busy_retries = 0  # transactions retried because another program held the lock
        # Since start, for the speed figures (`/metrics`, the bench): statements run, and
        # waits on aiosqlite's thread (one per transaction: its BEGIN; statements run inline).
        self.transactions = 0
        self.statements = 0
        self.round_trips = 0

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Store]:
        """Run a block in one write transaction; commit on success, roll back on error."""
        async with self._within("BEGIN IMMEDIATE") as store:
            yield store

    @contextlib.asynccontextmanager
    async def read_committed(self, chat: str | None = None) -> AsyncIterator[Store]:
        """A write transaction for claiming and settling outbox rows, or a first contact (on
        SQLite, any write transaction; PostgreSQL's is READ COMMITTED, holding `chat`'s
        lock when given, as `run` does)."""
        async with self.transaction() as store:
            yield store

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[Store]:
        """Run a block that only reads: no write lock needed, so another writer never stops it."""
        async with self._within("BEGIN") as store:
            yield store

    async def run(self, work: Callable[[Store], Awaitable[T]], *, chat: str | None = None) -> T:
        """Run `work` in one write transaction, retried whole while another program holds the lock.

        Between attempts the transaction is rolled back and the connection left free for
        others; after the policy's budget, `DatabaseBusy` is raised and nothing was written.
        `chat` names whose update it is (PostgreSQL locks it; SQLite's one writer has no need).
        """
        deadline = time.monotonic() + self.busy.budget
        retry = 0
        while True:
            try:
                async with self.transaction() as store:
                    return await work(store)
            except Exception as error:
                if not is_busy(error):
                    raise
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DatabaseBusy(f"still locked after {self.busy.budget:.0f} s") from error
                retry += 1
                self.busy_retries += 1
                pause = min(self.busy.pause(retry), left)
                log.warning("database is busy (another program is writing); retry %d in %.2f s",
                            retry, pause)
                await asyncio.sleep(pause)

    @contextlib.asynccontextmanager
    async def _within(self, begin: str) -> AsyncIterator[Store]:
        async with self._lock:
            await self._begin(begin)  # may wait for another program's lock: in the thread
            inline = InlineConnection(self._conn._conn)  # the transaction's statements: here
            try:
                yield Store(cast(aiosqlite.Connection, inline))
                self.statements += inline.statements
                inline.execute("COMMIT")
            except BaseException:
                # A failed COMMIT (busy, disk full) leaves the transaction open: end it too.
                with contextlib.suppress(Exception):
                    inline.execute("ROLLBACK")
                raise
            finally:
                self.transactions += 1
                self.round_trips += 1

    async def _begin(self, statement: str) -> None:
        # The BEGIN runs on in aiosqlite's thread even if this task is cancelled while it
        # waits (for another writer's lock, say): let it finish and roll it back, or the
        # connection stays inside a transaction and every later BEGIN fails.
        begin = asyncio.ensure_future(self._conn.execute(statement))
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


async def _migrate(conn: aiosqlite.Connection) -> None:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
    )
    async with conn.execute("SELECT version FROM schema_version") as cur:
        applied = {row[0] for row in await cur.fetchall()}
    refuse_newer(applied)  # a worker of an older version stops here, before any change
    for migration in migrations():
        version, name, sql = migration.version, migration.name, migration.sql
        if version in applied:
            continue
        log.info("applying migration %s", name)
        # executescript commits on its own; the version row goes in the same script.
        await conn.executescript(
            f"BEGIN IMMEDIATE;\n{sql}\n;"
            f"INSERT INTO schema_version (version, name) VALUES ({version}, '{name}');\nCOMMIT;"
        )


async def seed(store: Store) -> None:
    """Fill the reference tables from the bundled files (each repository its own)."""
    await store.reference.load_bundled()  # provinces, entity types
    await store.catalog.load_bundled()  # product groups, dossier items, star bands
    await store.trainings.load_bundled()  # training topics
    await store.rules.load_bundled()  # the rules in force, revocation grounds
    await store.places.place_producers()  # communes not matched to a place yet
    await store.places.place_targets()  # communes' targets set by name: by code


@contextlib.asynccontextmanager
async def open_sqlite(
    path: Path | str, busy: BusyPolicy | None = None
) -> AsyncIterator[Database]:
    """Open (creating and migrating if needed) the SQLite database at `path`."""
    busy = busy or BusyPolicy()
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # Transactions run their statements on the event loop's thread (`InlineConnection`),
    # one at a time under the database's lock; aiosqlite's thread only opens them.
    conn = await aiosqlite.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = aiosqlite.Row
    try:
        # Short: the retry loop of `Database.run`, not SQLite's busy handler, decides how
        # long to wait, and other users get the connection between attempts.
        await conn.execute(f"PRAGMA busy_timeout = {round(busy.attempt_timeout * 1000)}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.create_function("sha256_hex", 1, digest, deterministic=True)  # migrations
        await _migrate(conn)
        database = Database(conn, busy)
        await database.run(seed)
        yield database
    finally:
        await conn.close()
