"""Every command opens the database the settings name: OCOP_DATABASE_URL when set, else the
SQLite file. `settings.database` says which; `settings.db_path` alone would miss PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPENS_THE_FILE = re.compile(r"open_database\([^)]*db_path")


def test_nothing_opens_the_sqlite_file_past_the_setting() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("bot", "handlers")
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OPENS_THE_FILE.search(line)
    ]
    assert not offenders, f"open_database(settings.database), not db_path: {offenders}"
