"""The SQLite SQL the repositories write gives the same answers on PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import aiosqlite
import pytest

from storage import Database, Store
from storage.dialect import split_script, to_postgres
from tests.engines import BOTH_ENGINES

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _conn(store: Store) -> aiosqlite.Connection:
    return store.audit._db  # the transaction's connection, as every repository holds it


async def _rows(store: Store, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    async with _conn(store).execute(sql, params) as cur:
        return [tuple(row) for row in await cur.fetchall()]


async def _producer(store: Store, name: str) -> int:
    return await store.users.create_producer(
        {"name": name, "entity_type": "household", "contact_person": "B",
         "phone": "+84912345678", "province_code": "VL", "commune": "C"}, NOW)


@BOTH_ENGINES
async def test_insert_or_ignore_and_replace_and_new_ids(db: Database) -> None:
    async with db.transaction() as store:
        conn = _conn(store)
        first = await conn.execute("INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?)",
                                   ("t", "cli", "a"))
        second = await conn.execute("INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?)",
                                    ("t", "cli", "b"))
        assert first.lastrowid is not None and second.lastrowid == first.lastrowid + 1
        sql = "INSERT OR IGNORE INTO processed_updates (update_key, processed_at) VALUES (?, ?)"
        assert (await conn.execute(sql, ("k", "t"))).rowcount == 1
        assert (await conn.execute(sql, ("k", "t"))).rowcount == 0
        replace = ("INSERT OR REPLACE INTO report_schedules (province_code, set_by, set_at)"
                   " VALUES (?, ?, ?)")
        await conn.execute(replace, ("VL", "first", "t1"))
        await conn.execute(replace, ("VL", "second", "t2"))
        assert await _rows(store, "SELECT set_by, set_at FROM report_schedules") == [
            ("second", "t2")]


@BOTH_ENGINES
async def test_json_lists_nulls_first_and_null_tests(db: Database) -> None:
    async with db.transaction() as store:
        ids = [await _producer(store, name) for name in ("A", "B", "C")]
        sql = "SELECT name FROM producers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
        assert await _rows(store, sql, (json.dumps(ids[1:]),)) == [("B",), ("C",)]
        assert await _rows(store, sql, (json.dumps([]),)) == []
        named = ("SELECT name FROM producers WHERE name IN (SELECT value FROM json_each(:names))"
                 " AND (:province IS NULL OR province_code = :province) ORDER BY name DESC")
        assert await _rows(store, named, {"names": '["A", "C"]', "province": None}) == [
            ("C",), ("A",)]
        assert await _rows(store, named, {"names": '["A"]', "province": "HN"}) == []
        await _conn(store).execute("CREATE TABLE t (v INTEGER)")
        await _conn(store).executemany("INSERT INTO t (v) VALUES (?)", [(2,), (None,), (1,)])
        assert await _rows(store, "SELECT v FROM t ORDER BY v") == [(None,), (1,), (2,)]
        assert await _rows(store, "SELECT v FROM t ORDER BY v DESC") == [(2,), (1,), (None,)]
        assert await _rows(store, "SELECT v FROM t WHERE ? OR v = 1", (0,)) == [(1,)]


@BOTH_ENGINES
async def test_sqlite_functions(db: Database) -> None:
    async with db.transaction() as store:
        one = await _rows(store, (
            "SELECT strftime('%Y', '2026-12-01'), strftime('%s', '2026-12-01T00:00:10Z'),"
            " strftime('%Y-%m-%dT%H:%M:%SZ', '2026-12-01T03:00:00Z', '+' || MAX(86400, 5)"
            " || ' seconds'), date('2026-12-31T20:00:00Z', '+1 day'), MAX(3, 7), MIN(3, 7),"
            " 'a' || 1, lower(hex(randomblob(4))) LIKE '________', 'ABC' LIKE 'abc',"
            " 'Xy' = 'xY' COLLATE NOCASE, ifnull(NULL, 2), instr('abc', 'c'), substr('abcd', 2, 2)"
        ))
        assert one == [("2026", "1796083210", "2026-12-02T03:00:00Z", "2027-01-01", 7, 3, "a1",
                        True, True, True, 2, 3, "bc")]
        payload = '{"text": "x", "document": {"name": "a.pdf", "data_b64": "QQ=="}}'
        typed = await _rows(store, "SELECT json_type(?, '$.document.data_b64'),"
                            " json_type(?, '$.photo'), json_remove(?, '$.document.data_b64')",
                            (payload, payload, payload))
        assert typed[0][:2] == ("text", None)
        assert json.loads(typed[0][2]) == {"text": "x", "document": {"name": "a.pdf"}}
        for name in ("B", "A", "C"):
            await _producer(store, name)
        grouped = await _rows(store, (
            "SELECT group_concat(name, char(31)), SUM(name = 'A'), COUNT(*), SUM(id),"
            " total(id) FROM (SELECT name, id FROM producers ORDER BY name)"))
        assert grouped == [("A\x1fB\x1fC", 1, 3, 6, 6.0)]


@BOTH_ENGINES
async def test_schema_questions_and_update_or_ignore(db: Database) -> None:
    async with db.transaction() as store:
        referring = await _rows(store, (
            "SELECT m.name AS tbl, f.\"from\" AS col FROM sqlite_master m"
            " JOIN pragma_foreign_key_list(m.name) f"
            " WHERE m.type = 'table' AND f.\"table\" = 'producers' ORDER BY m.name"))
        assert ("products", "producer_id") in referring and ("users", "producer_id") in referring
        kept, dropped = await _producer(store, "K"), await _producer(store, "D")
        conn = _conn(store)
        await conn.execute("INSERT INTO targets (province_code, year, scope, products, set_by,"
                           " set_at) VALUES ('VL', 2026, '', 1, 'x', 't')")
        await conn.execute("INSERT INTO producer_origins VALUES (?, 'Bến Tre')", (kept,))
        await conn.execute("INSERT INTO producer_origins VALUES (?, 'Trà Vinh')", (dropped,))
        cur = await conn.execute(
            "UPDATE OR IGNORE producer_origins SET producer_id = ? WHERE producer_id = ?",
            (kept, dropped))
        assert cur.rowcount == 0  # would duplicate the kept one's row: left where it was
        assert await _rows(store, "SELECT former_province FROM producer_origins ORDER BY 1") == [
            ("Bến Tre",), ("Trà Vinh",)]
        cursor = await _conn(store).execute("SELECT name AS Name, id FROM producers")
        first = await cursor.fetchone()
        assert first is not None and first["name"] == first[0] == first["Name"]
        assert dict(first)[first.keys()[0]] == first[0]


def test_translation_of_grammar() -> None:
    """What the dialect rewrites, and what it leaves (independent of the engine)."""
    sql = to_postgres("SELECT * FROM a CROSS JOIN b ON b.x = a.y JOIN f(a.z) g"
                      " WHERE a.n LIKE '%x%' AND a.m = ? ORDER BY a.n DESC").sql
    assert sql == ("SELECT * FROM a  JOIN b ON b.x = a.y CROSS JOIN f(a.z) g"
                   " WHERE a.n ILIKE '%%x%%' AND a.m = %t ORDER BY a.n DESC NULLS LAST")
    ddl = to_postgres("-- note\nCREATE TABLE x (id INTEGER PRIMARY KEY, v REAL)", False).sql
    assert "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" in ddl
    assert "DOUBLE PRECISION" in ddl
    columns = to_postgres("CREATE TABLE y (date TEXT, on_ BOOLEAN, at DATETIME, j JSON)"
                          " WITHOUT ROWID", False).sql
    assert columns == "CREATE TABLE y (date TEXT, on_ BIGINT, at TEXT, j TEXT)"
    assert split_script("CREATE TABLE a (t TEXT DEFAULT ';'); -- x;\n;INSERT INTO a VALUES (1)"
                        ) == ["CREATE TABLE a (t TEXT DEFAULT ';')", " -- x;\n",
                              "INSERT INTO a VALUES (1)"][::2]


@pytest.fixture
def engine_name(db: Database) -> str:
    """The engine the database runs on."""
    return db.engine


@BOTH_ENGINES
async def test_engine_is_the_one_asked(engine: str, engine_name: str) -> None:
    assert engine_name == engine


@BOTH_ENGINES
async def test_a_new_table_in_sqlite_types_works_alike(db: Database) -> None:
    """What a new migration may write: rowid keys, booleans, dates, JSON, the current time."""
    async with db.transaction() as store:
        conn = _conn(store)
        await conn.execute(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, done BOOLEAN NOT NULL"
            " DEFAULT 0, due DATE, doc JSON, at DATETIME DEFAULT CURRENT_TIMESTAMP)")
        await conn.execute("ALTER TABLE notes ADD COLUMN weight REAL NOT NULL DEFAULT 1.5")
        cur = await conn.execute("INSERT INTO notes (done, due, doc) VALUES (?, ?, ?)",
                                 (True, "2026-12-31", '{"a": 1}'))
        assert cur.lastrowid == 1
        rows = await _rows(store, (
            "SELECT id, done, due, doc, weight, length(at), unixepoch('2026-12-01') > 0,"
            " at <= CURRENT_TIMESTAMP FROM notes WHERE done = 1 AND due > date('2026-12-30')"))
        assert rows == [(1, 1, "2026-12-31", '{"a": 1}', 1.5, 19, 1, 1)]
