"""Moving a SQLite database to an empty PostgreSQL one, every table checked by its row count.

The PostgreSQL side is created by the same migrations; rows go over with COPY, parents
before children (foreign keys), in one transaction: a copy that fails leaves nothing behind.
The ids keep their values and each identity continues after the largest one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from storage.engine import open_database
from storage.pg_connection import adapt, read_keys
from storage.pg_database import open_postgres

_NOT_COPIED = ("schema_version",)  # each side has its own, and they must agree
BATCH = 2000


class CopyRefused(Exception):
    """The copy cannot start (target not empty, versions differ) or did not check out:
    `key` names the reason (label `cli.db.refused_<key>`), `context` its details."""

    def __init__(self, key: str, **context: object) -> None:
        super().__init__(key, context)
        self.key = key
        self.context = context


@dataclass(frozen=True)
class TableCopied:
    """One table's rows in the SQLite file and in PostgreSQL after the copy."""

    table: str
    source: int
    target: int


async def copy_to_postgres(path: Path, url: str) -> list[TableCopied]:
    """Copy the SQLite database at `path` into the empty PostgreSQL database at `url`."""
    if not path.exists():
        raise CopyRefused("no_source", path=path)
    async with open_database(path):
        pass  # brought to the current schema, as any command would
    await _refuse_unless_empty(url)
    async with open_postgres(url):
        pass  # the same migrations on the server, nothing seeded
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return await _copy(source, url)
    finally:
        source.close()


async def _refuse_unless_empty(url: str) -> None:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        cur = await conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        row = await cur.fetchone()
        if row and row[0]:
            raise CopyRefused("not_empty")


def _tables_in_order(source: sqlite3.Connection) -> list[str]:
    """Every table, each after the tables its foreign keys point to."""
    names = [r[0] for r in source.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name")]
    parents = {name: {r[2] for r in source.execute(f"PRAGMA foreign_key_list(\"{name}\")")}
               for name in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered
                 and all(p in ordered or p == n or p not in parents for p in parents[n])]
        if not ready:
            raise CopyRefused("cycle")
        ordered.extend(ready)
    return [n for n in ordered if n not in _NOT_COPIED]


def _versions(source: sqlite3.Connection) -> list[int]:
    return [r[0] for r in source.execute("SELECT version FROM schema_version ORDER BY 1")]


def _rows(source: sqlite3.Connection, table: str, columns: list[str]) -> Iterator[list[Any]]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    cursor = source.execute(f'SELECT {quoted} FROM "{table}"')
    while batch := cursor.fetchmany(BATCH):
        yield from (list(row) for row in batch)


async def _copy(source: sqlite3.Connection, url: str) -> list[TableCopied]:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        adapt(conn)
        cur = await conn.execute("SELECT version FROM schema_version ORDER BY 1")
        target = [r[0] for r in await cur.fetchall()]
        if target != _versions(source):
            raise CopyRefused("versions", source=max(_versions(source), default=0),
                              target=max(target, default=0))
        keys = await read_keys(conn)
        copied = []
        for table in _tables_in_order(source):
            columns = [r[1] for r in source.execute(f'PRAGMA table_info("{table}")')]
            await conn.execute(f'DELETE FROM "{table}"')  # rows a migration itself wrote
            names = ", ".join(f'"{c}"' for c in columns)
            async with conn.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in _rows(source, table, columns):
                    await copy.write_row(row)
            if table in keys.identity:
                column = keys.identity[table]
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'),"
                    f' COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table}"')
            copied.append(await _counted(source, conn, table))
        wrong = [c for c in copied if c.source != c.target]
        if wrong:
            raise CopyRefused("counts", tables=", ".join(
                f"{c.table} {c.source} → {c.target}" for c in wrong))
        await conn.commit()
        return copied


async def _counted(source: sqlite3.Connection, conn: psycopg.AsyncConnection[Any],
                   table: str) -> TableCopied:
    (expected,) = source.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
    cur = await conn.execute(f'SELECT COUNT(*) FROM "{table}"')
    row = await cur.fetchone()
    return TableCopied(table, int(expected), int(row[0]) if row else -1)
