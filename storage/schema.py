"""What a database file holds before it is opened: exists, schema version, migrations pending."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file of `storage/migrations`."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration shipped with this version, in order."""
    folder = resources.files("storage") / "migrations"
    found = [
        Migration(int(entry.name[:3]), entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql") and entry.name[:3].isdigit()
    ]
    return sorted(found, key=lambda migration: migration.version)


class NewerSchema(Exception):
    """The database was upgraded by a newer version of the program: this one must not use it
    (its SQL was written for the older structure)."""

    def __init__(self, versions: tuple[int, ...]) -> None:
        super().__init__(f"migrations {', '.join(map(str, versions))} are of a newer version")
        self.versions = versions


def refuse_newer(applied: set[int] | frozenset[int]) -> None:
    """Raise NewerSchema when `applied` holds migrations this version does not ship."""
    known = {m.version for m in migrations()}
    newer = tuple(sorted(v for v in applied if v not in known))
    if newer:
        raise NewerSchema(newer)


@dataclass(frozen=True)
class SchemaState:
    """A database file's schema compared with this version's migrations."""

    exists: bool
    applied: frozenset[int]
    pending: tuple[str, ...]  # migration file names not yet applied, in order
    newer: tuple[int, ...]  # versions applied that this program does not know (a downgrade)

    @property
    def version(self) -> int:
        """The highest migration applied (0 for a new or empty file)."""
        return max(self.applied, default=0)


def read_applied(conn: sqlite3.Connection) -> frozenset[int]:
    """The migration versions recorded in an open database."""
    table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if table is None:
        return frozenset()
    return frozenset(row[0] for row in conn.execute("SELECT version FROM schema_version"))


def schema_state(path: Path) -> SchemaState:
    """Read (never write) the schema state of the database at `path`."""
    known = migrations()
    if not path.exists():
        return SchemaState(False, frozenset(), tuple(m.name for m in known), ())
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        applied = read_applied(conn)
    finally:
        conn.close()
    versions = {m.version for m in known}
    return SchemaState(
        True, applied,
        tuple(m.name for m in known if m.version not in applied),
        tuple(sorted(v for v in applied if v not in versions)),
    )
