"""Backups taken while the bot writes, restores over a crashed bot's leftovers, checks."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import open_database
from storage.backup import BackupRefused, backup, check, restore, side_files

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def audit_count(path: Path) -> int:
    """Rows in the audit log of the database at `path`."""
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0])
    finally:
        conn.close()


async def test_a_backup_taken_while_the_bot_writes_is_whole_and_sound(tmp_path: Path) -> None:
    path, copy = tmp_path / "ocop.db", tmp_path / "saved" / "copy.db"
    started, stop = asyncio.Event(), asyncio.Event()
    written = 0
    async with open_database(path) as db:

        async def write() -> None:
            nonlocal written
            while not stop.is_set():
                await db.run(lambda store: store.audit.record("test", "write", NOW))
                written += 1
                started.set()
                await asyncio.sleep(0)

        writer = asyncio.create_task(write())
        await started.wait()
        before = written
        summary = await asyncio.to_thread(backup, path, copy)
        after = written
        stop.set()
        await writer
    assert summary.version >= 14 and summary.accounts == 0
    assert check(copy).version == summary.version  # integrity_check said ok
    assert before <= audit_count(copy) <= after + 1
    assert not any(side.exists() for side in side_files(copy))  # one self-contained file


CRASH = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA wal_autocheckpoint = 0")
for _ in range(25):
    conn.execute("INSERT INTO audit_log (actor, action, at) VALUES ('late', 'x', '2026-12-01')")
os._exit(0)  # a crash: the connection is never closed, the -wal stays with its rows
"""


@pytest.mark.slow  # a real process crashes with its -wal left behind
def test_a_restore_over_a_crashed_bots_wal_keeps_none_of_its_rows(tmp_path: Path) -> None:
    path, saved = tmp_path / "ocop.db", tmp_path / "saved.db"

    async def seed() -> None:
        async with open_database(path) as db:
            await db.run(lambda store: store.audit.record("test", "early", NOW))

    asyncio.run(seed())
    backup(path, saved)
    subprocess.run([sys.executable, "-c", CRASH, str(path)], check=True, timeout=60)
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the leftover a plain copy would replay

    restored, kept = restore(saved, path)

    assert audit_count(path) == 1 and restored.version == check(saved).version
    assert not wal.exists()
    assert kept is not None and audit_count(kept) == 26  # the crashed bot's rows are kept aside


def test_a_damaged_or_foreign_file_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "ocop.db"
    asyncio.run(_create(path))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    before = path.read_bytes()
    with pytest.raises(BackupRefused, match="damaged"):
        restore(junk, path)
    with pytest.raises(BackupRefused, match="not_ours"):
        restore(foreign, path)
    with pytest.raises(BackupRefused, match="missing"):
        restore(tmp_path / "none.db", path)
    assert path.read_bytes() == before


async def _create(path: Path) -> None:
    async with open_database(path):
        pass
