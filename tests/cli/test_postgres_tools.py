"""On PostgreSQL the SQLite backup and restore commands refuse with the server's way
(`migrate` migrates the server: tests/workers/test_newer_schema.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app


@pytest.mark.parametrize("command", [["backup", "b.db"], ["restore", "b.db"]])
def test_sqlite_tools_point_to_pg_dump_on_postgresql(command: list[str], tmp_path: Path) -> None:
    env = {"OCOP_DATABASE_URL": "postgresql://ocop@127.0.0.1:1/ocop",
           "OCOP_DB_PATH": str(tmp_path / "ocop.db"), "OCOP_LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(app, command, env=env)
    assert result.exit_code == 2
    assert "pg_dump" in result.output
    assert not (tmp_path / "ocop.db").exists()  # no SQLite file made on the side
