"""A psycopg connection that the repositories use exactly as they use aiosqlite's.

`execute` / `executemany` take SQLite's SQL and parameters (translated by `storage.dialect`),
cursors give `fetchone` / `fetchall` / `fetchmany`, `rowcount` and `lastrowid`, and rows are
read by position or by name, as `aiosqlite.Row` is.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Generator, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

import psycopg
from psycopg import errors

from storage.dialect import Translated, UpdateIgnore, to_postgres
from storage.pg_types import Row, adapt, has_rows, row_factory

__all__ = ["Keys", "PgConnection", "PgCursor", "Row", "adapt", "read_keys"]


class Keys:
    """Each table's primary key and identity column, read once from the schema."""

    def __init__(self, primary: dict[str, tuple[str, ...]], identity: dict[str, str]) -> None:
        self.primary = primary
        self.identity = identity


async def read_keys(conn: psycopg.AsyncConnection[Any]) -> Keys:
    """Each table's primary key and identity column in the current schema."""
    primary: dict[str, list[str]] = {}
    cur = await conn.execute(
        "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
        " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
        " WHERE i.indisprimary ORDER BY c.relname, k.n"
    )
    for table, column in await cur.fetchall():
        primary.setdefault(table, []).append(column)
    cur = await conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    identity = {table: column for table, column in await cur.fetchall()}
    return Keys({t: tuple(c) for t, c in primary.items()}, identity)


class PgCursor:
    """The part of aiosqlite's cursor the repositories use."""

    def __init__(self, cursor: psycopg.AsyncCursor[Row], lastrowid: int | None,
                 queued_on: PgConnection | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid
        self.rowcount = cursor.rowcount
        self._queued_on = queued_on  # sent, its answer not read yet (`PgConnection.send`)
        self._sent_before = queued_on.syncs if queued_on is not None else 0

    async def _answered(self) -> None:
        connection, self._queued_on = self._queued_on, None
        if connection is None:
            return
        if connection.syncs == self._sent_before:  # no wait since it was sent: wait now
            await connection.wait()
        self.rowcount = self._cursor.rowcount
        connection.total_changes += max(self.rowcount, 0)

    async def fetchone(self) -> Row | None:
        """The next row, or None."""
        await self._answered()
        return await self._cursor.fetchone() if has_rows(self._cursor) else None

    async def fetchall(self) -> list[Row]:
        """Every remaining row."""
        await self._answered()
        return await self._cursor.fetchall() if has_rows(self._cursor) else []

    async def fetchmany(self, size: int) -> list[Row]:
        """Up to `size` more rows."""
        await self._answered()
        return await self._cursor.fetchmany(size) if has_rows(self._cursor) else []

    async def close(self) -> None:
        """Free the cursor."""
        await self._cursor.close()


class _Executed:
    """What `execute` returns: awaited, the cursor; as `async with`, the cursor, then closed."""

    def __init__(self, conn: PgConnection, sql: str, parameters: Any) -> None:
        self._run = conn._execute(sql, parameters)
        self._cursor: PgCursor | None = None

    def __await__(self) -> Generator[Any, None, PgCursor]:
        return self._run.__await__()

    async def __aenter__(self) -> PgCursor:
        self._cursor = await self._run
        return self._cursor

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._cursor is not None:
            await self._cursor.close()


class PgConnection:
    """The part of aiosqlite's connection the repositories use, on one psycopg connection."""

    engine = "postgresql"  # the few repositories that lock rows ask (`outbox_leases`)

    def __init__(self, conn: psycopg.AsyncConnection[Any], keys: Keys) -> None:
        self._conn = conn
        self._keys = keys
        self.pipeline: psycopg.AsyncPipeline | None = None  # set: statements are queued
        self.total_changes = 0
        self.statements = 0  # statements sent, for the speed figures
        self.round_trips = 0  # waits for the server's answers, for the speed figures
        self.syncs = 0  # waits so far: a queued statement's answer has come after one

    async def wait(self) -> None:
        """Send what is queued and wait for every answer (an error is raised here)."""
        self.round_trips += 1
        self.syncs += 1
        if self.pipeline is not None:
            await self.pipeline.sync()

    def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> _Executed:
        """Run one statement."""
        return _Executed(self, sql, parameters)

    async def send(self, sql: str, parameters: Iterable[Any] | None = None) -> PgCursor:
        """Queue a statement whose answer is read later (from its cursor): it goes to the
        server with the next one that waits, so several reads take one round trip. Not for
        statements that change the schema, need savepoints or report a new row's id."""
        if self.pipeline is None:
            return await self._execute(sql, parameters)
        statement = self.translate(sql, parameters)
        assert statement.update_ignore is None and not statement.ddl
        cursor = self._conn.cursor(row_factory=row_factory)
        await cursor.execute(statement.sql, _params(statement, parameters))
        self.statements += 1
        return PgCursor(cursor, None, queued_on=self)

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> PgCursor:
        """Run one statement for each set of parameters."""
        batch = list(parameters)
        cursor = self._conn.cursor(row_factory=row_factory)
        if not batch:
            return PgCursor(cursor, None)
        statement = self.translate(sql, batch[0])
        await cursor.executemany(statement.sql, [_params(statement, p) for p in batch])
        await self.wait()
        self.statements += len(batch)
        self.total_changes += max(cursor.rowcount, 0)
        return PgCursor(cursor, None)

    async def _execute(self, sql: str, parameters: Any) -> PgCursor:
        statement = self.translate(sql, parameters)
        text = statement.sql
        identity = self._keys.identity.get(statement.table or "")
        wants_id = (identity is not None and not statement.upsert
                    and " returning " not in text.lower())
        if wants_id:
            text = f"{text.rstrip().rstrip(';')} RETURNING {identity}"
        cursor = self._conn.cursor(row_factory=row_factory)
        if statement.update_ignore is not None:
            await self.wait()  # its savepoints need the answers as they come
            return await self._update_ignore(cursor, text, statement.update_ignore, parameters)
        await cursor.execute(text, _params(statement, parameters))
        self.statements += 1
        if statement.upsert and self.pipeline is not None:
            # One row inserted or updated, whatever happens: nothing to wait for; it goes
            # with the next statement that needs an answer (or the COMMIT), and an error
            # it meets is raised there. (SQLite leaves lastrowid as it was after an upsert.)
            self.total_changes += 1
            result = PgCursor(cursor, None)
            result.rowcount = 1
            return result
        await self.wait()
        if statement.ddl:  # a table made or changed here: its keys as well
            fresh = await read_keys(self._conn)
            self._keys.primary, self._keys.identity = fresh.primary, fresh.identity
        self.total_changes += max(cursor.rowcount, 0)
        lastrowid = None
        if wants_id:
            row = await cursor.fetchone()
            lastrowid = row[0] if row is not None else None
        return PgCursor(cursor, lastrowid)

    async def _update_ignore(
        self, cursor: psycopg.AsyncCursor[Row], text: str, update: UpdateIgnore, parameters: Any
    ) -> PgCursor:
        """All rows at once; if one would break a unique key, row by row, skipping those."""
        values = list(parameters or ())
        try:
            async with self._conn.transaction():  # a savepoint
                await cursor.execute(text, values)
                await self.wait()
            changed = cursor.rowcount
        except errors.UniqueViolation:
            changed = 0
            await cursor.execute(
                f"SELECT ctid::text FROM {update.table} WHERE {update.condition}",
                values[update.set_params:],
            )
            await self.wait()
            for (ctid,) in await cursor.fetchall():
                try:
                    async with self._conn.transaction():
                        await cursor.execute(
                            f"UPDATE {update.table} SET {update.assignments}"
                            " WHERE ctid = CAST(%t AS tid)", [*values[:update.set_params], ctid]
                        )
                        await self.wait()
                    changed += cursor.rowcount
                except errors.UniqueViolation:
                    continue
        self.statements += 1
        self.total_changes += changed
        result = PgCursor(cursor, None)
        result.rowcount = changed
        return result

    def translate(self, sql: str, parameters: Any) -> Translated:
        """The statement as it is sent to the server (INSERT OR REPLACE: with the table's key)."""
        statement = to_postgres(sql, parameters is not None)
        if statement.replace:
            key = self._keys.primary.get(statement.table or "", ())
            columns = _insert_columns(statement.sql)
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in key)
            target = f"({', '.join(key)}) DO " + (f"UPDATE SET {sets}" if sets else "NOTHING")
            statement = dataclasses.replace(
                statement, sql=statement.sql.replace("{conflict}", target))
        return statement


def _insert_columns(sql: str) -> list[str]:
    start = sql.index("(") + 1
    return [c.strip().strip('"').lower() for c in sql[start: sql.index(")", start)].split(",")]


def _params(statement: Translated, parameters: Any) -> Any:
    """Parameters as psycopg takes them; JSON lists bound for `= ANY(…)` become lists."""
    if parameters is None:
        return None
    if statement.numbered:  # ?N is sent as pN
        parameters = {f"p{i + 1}": json.loads(v) if i in statement.json_lists else v
                      for i, v in enumerate(parameters)}
        statement = dataclasses.replace(statement, json_lists=frozenset())
    if isinstance(parameters, Mapping):
        named = {k: json.loads(v) if k in statement.json_lists else v
                 for k, v in parameters.items()}
        for name in statement.null_tests:
            named[f"{name}~"] = parameters[name]
        return named
    return [json.loads(v) if i in statement.json_lists else v for i, v in enumerate(parameters)]
