"""The PostgreSQL side of `bench.throughput`: a throwaway server with pg_stat_statements,
a fresh database per run, and the statements and server time each run cost."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from fakes.postgres import ThrowawayPostgres, find_binaries
from storage import open_database

STATS = "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"


class BenchPostgres:
    """The server the PostgreSQL runs use; `database()` gives each run its own."""

    def __init__(self) -> None:
        binaries = find_binaries()
        if binaries is None:
            raise SystemExit("no PostgreSQL binaries (initdb): install the 'postgresql' package")
        self.server = ThrowawayPostgres(binaries).start(STATS)
        with psycopg.connect(self.server.url(), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

    @property
    def pid(self) -> int:
        """The server's main process (its backends are its children)."""
        return int((self.server.folder / "data" / "postmaster.pid").read_text().split()[0])

    def database(self, seed: Any = None) -> str:
        """A new database, migrated (and seeded by `seed(url)` when given), stats zeroed."""
        url = self.server.fresh_database()

        async def prepare() -> None:
            async with open_database(url) as db:
                if seed is not None:
                    await seed(db)

        asyncio.run(prepare())
        with psycopg.connect(self.server.url(), autocommit=True) as conn:
            conn.execute("SELECT pg_stat_statements_reset()")
            conn.execute("SELECT pg_stat_reset()")
        return url

    def cost(self, url: str) -> dict[str, float]:
        """Statements the server ran for this database, and their total time (ms)."""
        name = conninfo_to_dict(url)["dbname"]
        with psycopg.connect(self.server.url(), autocommit=True) as conn:
            row = conn.execute(
                "SELECT COALESCE(SUM(calls), 0), COALESCE(SUM(total_exec_time), 0)"
                " FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
                " WHERE d.datname = %s AND s.query NOT ILIKE '%%pg_stat_statements%%'", (name,)
            ).fetchone()
            rolled = conn.execute(
                "SELECT xact_rollback FROM pg_stat_database WHERE datname = %s", (name,)
            ).fetchone()
        if row is None:
            return {}
        return {"statements": float(row[0]), "server_ms": float(row[1]),
                "rollbacks": float(rolled[0]) if rolled else 0.0}

    def stop(self) -> None:
        """Stop the server."""
        self.server.stop()
