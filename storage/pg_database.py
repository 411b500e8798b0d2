"""The bot's database on a PostgreSQL server (`OCOP_DATABASE_URL`): same interface as SQLite's.

Write transactions are SERIALIZABLE: the outcome is as if they had run one at a time, as
SQLite's `BEGIN IMMEDIATE` makes them. Updates (`run`) go on side by side on pooled
connections, each retried whole when the server reports a serialization failure or a
deadlock (as SQLite's busy lock is, within the busy policy's budget); a `transaction()`
block, which cannot be retried, runs alone in this process. Reading blocks run beside
everything on a snapshot (like a WAL reader).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib import resources
from typing import Any, TypeVar, cast

import aiosqlite
import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import AsyncConnectionPool

from storage.busy import BusyPolicy, DatabaseBusy
from storage.db import Database
from storage.dialect import split_script, to_postgres
from storage.gate import Gate
from storage.pg_connection import Keys, PgConnection, adapt, read_keys
from storage.schema import migrations, refuse_newer
from storage.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")
_RETRIED = (errors.SerializationFailure, errors.DeadlockDetected, errors.LockNotAvailable)
_MIGRATION_LOCK = 0x0C0B  # advisory lock key: one process migrates at a time
_CHAT_LOCKS = 0x0C0B  # per-chat locks: (this, the chat's hash); two keys, apart from the above
_READ = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
# Tables rewritten on every turn keep half of each page free, so that an updated row fits
# beside the old one (a HOT update): no index entry is added, and SERIALIZABLE turns of
# different people are not rolled back for touching one index page (its lock covers it all).
ROOM_TO_UPDATE = {"users": 50, "conversations": 50, "drafts": 50}


def where(url: str) -> str:
    """A PostgreSQL URL without its password, to show: `host:port/database`."""
    info = conninfo_to_dict(url)
    host = info.get("host") or "localhost"
    port = f":{info['port']}" if info.get("port") else ""
    return f"{host}{port}/{info.get('dbname') or ''}"


def chat_key(chat: str) -> int:
    """The second key of a chat's advisory lock: a 32-bit hash of `channel:id` (two chats
    sharing one only wait for each other)."""
    digest = hashlib.blake2b(chat.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


class PgDatabase(Database):
    """The bot's PostgreSQL database, used as `storage.Database` is."""

    engine = "postgresql"

    def __init__(  # the SQLite connection of the base class is not opened
        self, pool: AsyncConnectionPool[Any], keys: Keys, busy: BusyPolicy | None = None
    ) -> None:
        self._pool = pool
        self._keys = keys
        self._gate = Gate()
        self.busy = busy or BusyPolicy()
        self.busy_retries = 0
        self.transactions = 0  # since start, for the speed figures (`/metrics`, the bench)
        self.statements = 0
        self.round_trips = 0  # waits for the server's answers

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Store]:
        """Run a block in one write transaction; commit on success, roll back on error."""
        async with self._gate.exclusive(), self._within(read_only=False) as store:
            yield store

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[Store]:
        """Run a block that only reads, on a snapshot; writers never stop it."""
        async with self._within(read_only=True) as store:
            yield store

    async def run(self, work: Callable[[Store], Awaitable[T]], *, chat: str | None = None) -> T:
        """Run `work` in one write transaction, retried whole after a conflict with another
        session (serialization failure, deadlock); `DatabaseBusy` after the policy's budget.

        `chat` (`channel:id`): the transaction first takes that chat's advisory lock, held
        until it ends, so one person's updates run one at a time across every worker."""
        deadline = time.monotonic() + self.busy.budget
        retry = 0
        while True:
            try:
                async with self._gate.shared(), \
                        self._within(read_only=False, chat=chat) as store:
                    return await work(store)
            except _RETRIED as error:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DatabaseBusy(f"still conflicting after {self.busy.budget:.0f} s") \
                        from error
                retry += 1
                self.busy_retries += 1
                # short and jittered: the other transaction has usually just committed
                pause = min(self.busy.max_pause, 0.005 * 2 ** retry * random.uniform(0.5, 1.5),
                            left)
                log.info("database conflict (%s); retry %d in %.3f s",
                         type(error).__name__, retry, pause)
                await asyncio.sleep(pause)

    @contextlib.asynccontextmanager
    async def read_committed(self, chat: str | None = None) -> AsyncIterator[Store]:
        """A write transaction at READ COMMITTED, for the outbox rows a worker claims (`FOR
        UPDATE SKIP LOCKED`: rows another worker took meanwhile are skipped, not a conflict)
        and then settles (rows it holds, written by id), and for a first contact (writes
        alone, under `chat`'s lock): no serialization conflicts with the other workers."""
        async with self._gate.shared(), \
                self._within(read_only=False, level="READ COMMITTED", chat=chat) as store:
            yield store

    @contextlib.asynccontextmanager
    async def _within(  # type: ignore[override]
        self, read_only: bool, level: str = "SERIALIZABLE", chat: str | None = None
    ) -> AsyncIterator[Store]:
        # In pipeline mode: BEGIN goes with the first statement, an upsert's answer (one row,
        # always) comes with the next statement's, and the COMMIT with the pipeline's end.
        # BEGIN / COMMIT / ROLLBACK are never prepared: psycopg forgets every prepared
        # statement after a prepared ROLLBACK and could then lose track in a pipeline.
        # The chat's lock is queued right after BEGIN: the server takes it before it runs
        # the transaction's first statement, and it ends with the transaction (a pooler
        # cannot strand it).
        async with self._pool.connection() as conn:
            adapter = PgConnection(conn, self._keys)
            try:
                async with conn.pipeline() as pipeline:
                    begin = _READ if read_only else f"BEGIN ISOLATION LEVEL {level}"
                    await conn.execute(begin, prepare=False)
                    if chat is not None:
                        await conn.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                                           (_CHAT_LOCKS, chat_key(chat)))
                    adapter.pipeline = pipeline
                    yield Store(cast(aiosqlite.Connection, adapter))
                    await conn.execute("COMMIT", prepare=False)
                    adapter.round_trips += 1  # the pipeline's end sends it and waits
            except BaseException:
                with contextlib.suppress(Exception):
                    await conn.execute("ROLLBACK", prepare=False)
                raise
            finally:
                self.transactions += 1
                self.statements += adapter.statements
                self.round_trips += adapter.round_trips

    @property
    def pool_size(self) -> int:
        """The most connections kept open (`OCOP_DB_POOL_SIZE`)."""
        return self._pool.max_size

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._pool.close()


async def _configure(conn: psycopg.AsyncConnection[Any]) -> None:
    adapt(conn)
    await conn.execute("SET TIME ZONE 'UTC'")
    await conn.commit()


def _script(name: str) -> str:
    return (resources.files("storage") / name).read_text(encoding="utf-8")


async def _migrate(conn: psycopg.AsyncConnection[Any]) -> None:
    """The compatibility functions, then each migration not applied yet, each in its own
    transaction, one process at a time."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        await conn.execute(_script("pg_compat.sql"))
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY,"
            " name TEXT NOT NULL, applied_at TEXT NOT NULL"
            " DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')))"
        )
        applied = {row[0] for row in await (await conn.execute(
            "SELECT version FROM schema_version")).fetchall()}
        refuse_newer(applied)  # a worker of an older version stops here, before any change
        for version, name, sql in ((m.version, m.name, m.sql) for m in migrations()):
            if version in applied:
                continue
            log.info("applying migration %s", name)
            async with conn.transaction():
                for statement in split_script(sql):
                    await conn.execute(to_postgres(statement, params=False).sql)
                await conn.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                                   (version, name))
        for table, percent in ROOM_TO_UPDATE.items():  # for the pages written from now on
            cur = await conn.execute(
                "SELECT %s = ANY(coalesce(reloptions, '{}')) FROM pg_class"
                " WHERE oid = to_regclass(%s)", (f"fillfactor={percent}", table))
            if not (await cur.fetchone() or (True,))[0]:
                await conn.execute(f"ALTER TABLE {table} SET (fillfactor = {percent})")


async def applied_versions(url: str) -> frozenset[int]:
    """The migrations recorded on the server at `url` (none for an empty database)."""
    async with await psycopg.AsyncConnection.connect(url) as conn:
        cur = await conn.execute("SELECT to_regclass('schema_version') IS NOT NULL")
        row = await cur.fetchone()
        if not row or not row[0]:
            return frozenset()
        cur = await conn.execute("SELECT version FROM schema_version")
        return frozenset(int(r[0]) for r in await cur.fetchall())


@contextlib.asynccontextmanager
async def open_postgres(
    url: str, busy: BusyPolicy | None = None, pool_size: int = 8
) -> AsyncIterator[PgDatabase]:
    """Open (migrating if needed) the PostgreSQL database at `url`."""
    busy = busy or BusyPolicy()
    async with await psycopg.AsyncConnection.connect(url, autocommit=False) as conn:
        await _configure(conn)
        await _migrate(conn)
        await conn.commit()
        keys = await read_keys(conn)
        await conn.commit()
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        url, min_size=1, max_size=pool_size, configure=_configure, open=False,
        kwargs={"autocommit": True},
    )
    await pool.open(wait=True)
    database = PgDatabase(pool, keys, busy)
    try:
        yield database
    finally:
        await pool.close()
