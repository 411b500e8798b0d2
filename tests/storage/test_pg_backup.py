"""The pg_dump / pg_restore recipe of docs/postgresql.md: a restored database opens as it was."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from storage import open_database
from storage.models import Role
from tests.engines import PostgresServer

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


async def test_a_dump_restored_into_a_new_database_opens_with_its_data(
    tmp_path: Path, pg_server: PostgresServer
) -> None:
    source = pg_server.empty_database()
    async with open_database(source) as db, db.transaction() as store:
        user = await store.users.seen("telegram", "5", "5", NOW)
        await store.users.grant(user.id, Role.OFFICER, "VL", "cli", NOW)
        await store.code_failures.record("telegram", "9", NOW)
    dump = tmp_path / "ocop.dump"
    binaries = pg_server.server.binaries
    subprocess.run([str(binaries / "pg_dump"), "--format=custom", f"--file={dump}", source],
                   check=True, capture_output=True)
    restored = pg_server.empty_database()
    subprocess.run([str(binaries / "pg_restore"), "--no-owner", f"--dbname={restored}",
                    str(dump)], check=True, capture_output=True)
    async with open_database(restored) as db, db.transaction() as store:
        officer = await store.users.find("telegram", "5")
        assert officer is not None and officer.officer_province == "VL"
        assert await store.code_failures.of_account("telegram", "9", NOW) == 1
        again = await store.users.seen("telegram", "6", "6", NOW)
        assert again.id == officer.id + 1  # the id sequence came along
