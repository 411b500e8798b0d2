"""An upgrade of several workers: a worker of an older version that starts (or restarts)
against a database a newer version has migrated refuses it with one line, before changing
anything; on SQLite the same."""

from __future__ import annotations

import asyncio
from pathlib import Path

import psycopg
import pytest

from bot.cli.pg_check import address
from storage import open_database
from storage.schema import NewerSchema, migrations
from tests.cli.test_one_language import _run, back_to_vietnamese
from tests.engines import PostgresServer

__all__ = ["back_to_vietnamese"]  # the fixture, used here too
FUTURE = 999  # a migration this version does not ship


def _upgraded(url: str) -> int:
    """Mark the database as migrated by a newer version; the migrations it then holds."""
    asyncio.run(_open_once(url))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                     (FUTURE, f"{FUTURE}_newer_release.sql"))
        row = conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


async def _open_once(where: str) -> None:
    async with open_database(where):
        pass


def _applied(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def test_an_older_worker_refuses_a_newer_schema(pg_server: PostgresServer) -> None:
    url = pg_server.empty_database()
    applied = _upgraded(url)
    with pytest.raises(NewerSchema) as refused:
        asyncio.run(_open_once(url))
    assert refused.value.versions == (FUTURE,)
    assert _applied(url) == applied  # nothing changed


def test_migrate_once_then_an_older_command_line_refuses_in_one_line(
        pg_server: PostgresServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = pg_server.empty_database()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OCOP_DATABASE_URL", url)
    shown = f"PostgreSQL {address(url)}"
    latest = migrations()[-1]
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    code, text = _run(monkeypatch, capsys, ["migrate"])
    assert code == 0 and f"Đã nâng cấp {shown} lên phiên bản {latest.version} (" in text, text
    code, text = _run(monkeypatch, capsys, ["migrate"])
    assert code == 0, text
    assert f"Cơ sở dữ liệu {shown} đã ở phiên bản mới nhất ({latest.version})." in text, text
    code, text = _run(monkeypatch, capsys, ["check-config"])
    assert code == 0 and f"Cấu hình dùng được — cơ sở dữ liệu: {shown};" in text, text

    _upgraded(url)  # a newer release migrated it since
    for command in (["migrate"], ["check-config"], ["outbox", "status"]):
        code, text = _run(monkeypatch, capsys, command)
        assert code == 1, text
        assert text.strip().splitlines()[-1] == (
            f"Cơ sở dữ liệu {shown} do một phiên bản mới hơn tạo (bước {FUTURE}); phiên bản"
            " này không dùng được. Hãy cài lại phiên bản mới hơn hoặc khôi phục bản sao lưu"
            " cũ."), text
        assert "Traceback" not in text


async def test_an_older_program_refuses_a_newer_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "ocop.db"
    async with open_database(path) as db, db.transaction() as store:
        await store.outbox._db.execute(
            "INSERT INTO schema_version (version, name) VALUES (?, ?)",
            (FUTURE, f"{FUTURE}_newer_release.sql"))
    with pytest.raises(NewerSchema):
        async with open_database(path):
            pass
