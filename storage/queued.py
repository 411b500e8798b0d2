"""Statements sent now and answered later: several reads of one turn in one round trip."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import aiosqlite


async def send(conn: aiosqlite.Connection, sql: str,
               parameters: Iterable[Any] = ()) -> aiosqlite.Cursor:
    """Run a statement whose rows are read later. On a PostgreSQL server it is queued and
    goes with the next statement that waits for an answer (its cursor waits when read, if
    none has); on SQLite, where a statement costs no round trip, it runs now."""
    queue = getattr(conn, "send", None)
    if queue is not None:
        return await queue(sql, parameters)
    return await conn.execute(sql, parameters)
