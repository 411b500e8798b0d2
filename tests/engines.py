"""Both database engines in tests: SQLite files and a throwaway PostgreSQL server.

A test module runs on both with `pytestmark = BOTH_ENGINES` (its tests get the `db` and
`database_target` fixtures on each engine). Without PostgreSQL's binaries the PostgreSQL
half is skipped, saying so.
"""

from __future__ import annotations

import asyncio

import pytest

from fakes.postgres import ThrowawayPostgres, find_binaries
from storage import open_database

ENGINES = ("sqlite", "postgresql")
BOTH_ENGINES = pytest.mark.parametrize("engine", ENGINES)
TEMPLATE = "ocop_template"
SKIPPED = ("PostgreSQL half skipped: no PostgreSQL >= 15 binaries (initdb, pg_ctl) found;"
           " install the 'postgresql' package to run it")


class PostgresServer:
    """The session's server; each test gets a copy of one migrated, seeded database."""

    def __init__(self, server: ThrowawayPostgres) -> None:
        self.server = server

    def fresh_database(self) -> str:
        """A new database, already migrated and seeded (a copy of the template)."""
        return self.server.fresh_database(template=TEMPLATE)

    def empty_database(self) -> str:
        """A new, empty database."""
        return self.server.fresh_database()

    def stop(self) -> None:
        """Stop the server."""
        self.server.stop()


def start_postgres() -> PostgresServer:
    """Start the throwaway server and its migrated template, or skip the test."""
    binaries = find_binaries()
    if binaries is None:
        pytest.skip(SKIPPED)
    server = ThrowawayPostgres(binaries).start()
    template = server.fresh_database(name=TEMPLATE)

    async def migrate() -> None:
        async with open_database(template):
            pass

    asyncio.run(migrate())
    return PostgresServer(server)
