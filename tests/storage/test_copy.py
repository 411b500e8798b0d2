"""`ocop-bot db copy`: a SQLite database moved to an empty PostgreSQL one, counts checked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from storage import open_database
from storage.copy import CopyRefused, copy_to_postgres
from storage.models import Role
from tests.engines import PostgresServer

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


async def _fill(path: Path) -> tuple[int, int]:
    """A small real database: producers, an officer, audit rows, a code-failure salt."""
    async with open_database(path) as db, db.transaction() as store:
        user = await store.users.seen("telegram", "5", "5", NOW)
        await store.users.grant(user.id, Role.OFFICER, "VL", "cli", NOW)
        producer = await store.users.create_producer(
            {"name": "HTX Mật ong Lan", "entity_type": "cooperative", "contact_person": "Lan",
             "phone": "+84912345678", "province_code": "VL", "commune": "Long Hồ"}, NOW)
        await store.users.attach_producer(user.id, producer)
        draft = await store.products.create_draft(producer, NOW)
        await store.products.set_field(draft, "name", "Mật ong hoa nhãn", NOW)
        for i in range(3):
            await store.audit.record("cli", "test", NOW, subject=f"s{i}")
        await store.code_failures.record("telegram", "9", NOW)
        return user.id, draft


async def test_copy_moves_every_row_and_ids_continue(
    tmp_path: Path, pg_server: PostgresServer
) -> None:
    path = tmp_path / "ocop.db"
    user_id, draft = await _fill(path)
    url = pg_server.empty_database()
    copied = await copy_to_postgres(path, url)
    counts = {c.table: c.target for c in copied}
    assert all(c.source == c.target for c in copied)
    assert counts["provinces"] == 34 and counts["audit_log"] == 3 and counts["products"] == 1
    async with open_database(url) as db, db.transaction() as store:
        officer = await store.users.get(user_id)
        assert officer is not None and officer.officer_province == "VL"
        product = await store.products.get(draft)
        assert product is not None and product.name == "Mật ong hoa nhãn"
        # the salt came along: the same account is still counted
        assert await store.code_failures.of_account("telegram", "9", NOW) == 1
        newer = await store.products.create_draft(product.producer_id, NOW)
        assert newer == draft + 1  # identities continue after the copied ids


async def test_copy_refuses_a_database_that_is_not_empty(
    tmp_path: Path, pg_server: PostgresServer
) -> None:
    path = tmp_path / "ocop.db"
    await _fill(path)
    url = pg_server.empty_database()
    await copy_to_postgres(path, url)
    with pytest.raises(CopyRefused) as refused:
        await copy_to_postgres(path, url)
    assert refused.value.key == "not_empty"


def test_the_command_prints_each_table_and_refuses_a_sqlite_target(
    tmp_path: Path, pg_server: PostgresServer
) -> None:
    path = tmp_path / "ocop.db"
    asyncio.run(_fill(path))
    env = {"OCOP_DB_PATH": str(path)}
    wrong = CliRunner().invoke(app, ["db", "copy", "--to", str(tmp_path / "x.db")], env=env)
    assert wrong.exit_code == 2 and "địa chỉ PostgreSQL" in wrong.output
    result = CliRunner().invoke(app, ["db", "copy", "--to", pg_server.empty_database()],
                                env=env)
    assert result.exit_code == 0, result.output
    assert "số dòng của mọi bảng đều khớp" in result.output
    assert "audit_log" in result.output and "ocop_" in result.output
