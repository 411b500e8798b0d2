"""Statements of a transaction run at once on the caller's thread, not one thread hop each.

aiosqlite hands every call (execute, fetch, close) to its own thread and back. Inside a
transaction the bot already holds the database (one transaction at a time, the write lock
taken by `BEGIN IMMEDIATE`), so its statements never wait for another writer: they run
directly on the connection, in microseconds, instead of a round trip per call.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterable, Sequence
from types import TracebackType
from typing import Any


class InlineCursor:
    """The part of aiosqlite's cursor the repositories use, over a sqlite3 cursor."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def lastrowid(self) -> int | None:
        """The id of the row the last INSERT added."""
        return self._cursor.lastrowid

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed."""
        return self._cursor.rowcount

    async def fetchone(self) -> Any:
        """The next row, or None."""
        return self._cursor.fetchone()

    async def fetchall(self) -> list[Any]:
        """Every remaining row."""
        return self._cursor.fetchall()

    async def fetchmany(self, size: int) -> list[Any]:
        """Up to `size` more rows."""
        return self._cursor.fetchmany(size)

    async def close(self) -> None:
        """Free the cursor."""
        self._cursor.close()


class _Executed:
    """What `execute` returns: awaited, the cursor; as `async with`, the cursor, then closed."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = InlineCursor(cursor)

    def __await__(self) -> Generator[Any, None, InlineCursor]:
        return self._ready().__await__()

    async def _ready(self) -> InlineCursor:
        return self._cursor

    async def __aenter__(self) -> InlineCursor:
        return self._cursor

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._cursor.close()


class InlineConnection:
    """The part of aiosqlite's connection the repositories use, run on the caller's thread."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.statements = 0  # run here, for the speed figures

    def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> _Executed:
        """Run one statement now."""
        self.statements += 1
        cursor = self._conn.execute(sql) if parameters is None else self._conn.execute(
            sql, parameters  # type: ignore[arg-type]  # a sequence or a mapping, as sqlite3 takes
        )
        return _Executed(cursor)

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> InlineCursor:
        """Run one statement for each set of parameters."""
        cursor = self._conn.executemany(sql, parameters)
        self.statements += max(cursor.rowcount, 1)  # the sets of parameters, near enough
        return InlineCursor(cursor)

    @property
    def total_changes(self) -> int:
        """Rows changed since the connection opened."""
        return self._conn.total_changes
