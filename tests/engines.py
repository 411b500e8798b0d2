"""Both database engines in tests: SQLite files and a throwaway PostgreSQL server.

A test module runs on both with `pytestmark = BOTH_ENGINES` (its tests get the `db` and
`database_target` fixtures on each engine). Without PostgreSQL's binaries the PostgreSQL
half is skipped, saying so.
"""

from __future__ import annotations

import asyncio

import psycopg
import pytest

from fakes.postgres import ThrowawayPostgres, find_binaries
from storage import open_database

ENGINES = ("sqlite", "postgresql")
BOTH_ENGINES = pytest.mark.parametrize("engine", ENGINES)
SHARED = "ocop_tests"
SKIPPED = ("PostgreSQL half skipped: no PostgreSQL >= 15 binaries (initdb, pg_ctl) found;"
           " install the 'postgresql' package to run it")


KEPT = ("schema_version", "db_secrets")  # what the migrations wrote, not the tests


class PostgresServer:
    """The session's server; tests share one migrated database, emptied before each."""

    def __init__(self, server: ThrowawayPostgres, shared: str) -> None:
        self.server = server
        self.shared = shared
        self._conn = psycopg.connect(shared, autocommit=True)
        self._conn.execute("SET lock_timeout = '10s'")

    def fresh_database(self) -> str:
        """The shared database with every table emptied and every id restarted (it is seeded
        again when opened); faster than a new database per test."""
        tables = [row[0] for row in self._conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " AND NOT (tablename = ANY(%s))", (list(KEPT),)).fetchall()]
        quoted = ", ".join(f'"{t}"' for t in tables)
        self._conn.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        return self.shared

    def empty_database(self) -> str:
        """A new, empty database."""
        return self.server.fresh_database()

    def stop(self) -> None:
        """Stop the server."""
        self._conn.close()
        self.server.stop()


def start_postgres() -> PostgresServer:
    """Start the throwaway server and its migrated template, or skip the test."""
    binaries = find_binaries()
    if binaries is None:
        pytest.skip(SKIPPED)
    server = ThrowawayPostgres(binaries).start()
    shared = server.fresh_database(name=SHARED)

    async def migrate() -> None:
        async with open_database(shared):
            pass

    asyncio.run(migrate())
    return PostgresServer(server, shared)
