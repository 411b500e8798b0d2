"""Backups and restores of the SQLite file through SQLite's online backup API.

A backup reads one consistent snapshot while the bot keeps writing (WAL readers never block
the writer); a plain file copy of a running database can miss what is still in `-wal`.
A restore never leaves the old `-wal`/`-shm` beside the restored file: SQLite would replay
those newer pages onto it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.schema import read_applied

SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupRefused(ValueError):
    """The file is not a usable backup of this bot (missing, damaged, not ours)."""


@dataclass(frozen=True)
class Summary:
    """What a database file holds, in a few numbers people can check."""

    path: Path
    version: int
    accounts: int
    products: int
    waiting: int  # outbox rows still to send
    size: int  # bytes


def side_files(path: Path) -> list[Path]:
    """The `-wal`, `-shm` and `-journal` files SQLite keeps beside `path`."""
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


def _count(conn: sqlite3.Connection, sql: str) -> int:
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.DatabaseError:
        return 0


def _summary(conn: sqlite3.Connection, path: Path) -> Summary:
    return Summary(
        path=path,
        version=max(read_applied(conn), default=0),
        accounts=_count(conn, "SELECT COUNT(*) FROM users"),
        products=_count(conn, "SELECT COUNT(*) FROM products"),
        waiting=_count(conn, "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'retry')"),
        size=path.stat().st_size if path.exists() else 0,
    )


def check(path: Path) -> Summary:
    """Check a backup file: a sound SQLite database of this bot; raise BackupRefused if not."""
    if not path.is_file():
        raise BackupRefused("missing")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise BackupRefused("damaged")
            if not read_applied(conn):
                raise BackupRefused("not_ours")
            return _summary(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise BackupRefused("damaged") from None


def _copy(source: Path, destination: Path) -> None:
    """Copy a database through the backup API into `destination` (written whole, then moved)."""
    part = destination.with_name(destination.name + ".part")
    for leftover in [part, *side_files(part)]:
        leftover.unlink(missing_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(part))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    with open(part, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(part, destination)


def backup(database: Path, destination: Path) -> Summary:
    """Write a consistent copy of `database` (running or not) to `destination`, checked."""
    if not database.is_file():
        raise BackupRefused("missing")
    destination.parent.mkdir(parents=True, exist_ok=True)
    _copy(database, destination)
    return check(destination)


def stamped(database: Path, reason: str, now: datetime | None = None) -> Path:
    """`ocop.db.<reason>-20261207T163000Z.bak` beside the database."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return database.with_name(f"{database.name}.{reason}-{moment}.bak")


def restore(source: Path, database: Path) -> tuple[Summary, Path | None]:
    """Put the backup `source` in place of `database`; the bot must not be running.

    The current database (with whatever its `-wal` holds) is first kept beside it; its side
    files are removed before the backup takes its place. Returns what was restored and where
    the former database was kept (None if there was none).
    """
    check(source)
    kept: Path | None = None
    if database.is_file():
        kept = stamped(database, "before-restore")
        _copy(database, kept)
    database.parent.mkdir(parents=True, exist_ok=True)
    part = database.with_name(database.name + ".restoring")
    _copy(source, part)
    for stale in side_files(database):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    os.replace(part, database)
    restored = check(database)
    return restored, kept
