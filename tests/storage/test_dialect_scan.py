"""Every statement the repositories and migrations write is said in PostgreSQL's words: the
dialect translates it or refuses it by name, and the server accepts what it gives (PREPARE).
Statements built at run time (f-strings) are checked by the tests that run them."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import psycopg
import pytest

from storage import Database
from storage.dialect import split_script, to_postgres
from storage.pg_connection import PgConnection, read_keys
from storage.schema import migrations
from storage.sql_conditions import Untranslatable
from tests.engines import BOTH_ENGINES, PostgresServer

STORAGE = Path(__file__).resolve().parents[2] / "storage"
STATEMENT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.I)
# SQLite's own modules (PRAGMA, its BEGIN/COMMIT), and PostgreSQL's own SQL (not translated)
NOT_TRANSLATED = {"db.py", "backup.py", "inline.py", "pg_database.py", "pg_connection.py",
                  "copy.py"}
_PLACEHOLDER = re.compile(r"%%|%\((\w+~?)\)t|%t")


def repository_statements() -> list[tuple[str, str]]:
    """(where, SQL) of every `execute` / `executemany` whose statement is written whole."""
    found = []
    for module in sorted(STORAGE.glob("*.py")):
        if module.name in NOT_TRANSLATED:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "executemany") and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and STATEMENT.match(node.args[0].value)):
                found.append((f"{module.name}:{node.lineno}", node.args[0].value))
    return found


def numbered(sql: str) -> str:
    """psycopg's placeholders as the server's ($1, $2 …), for PREPARE."""
    names: dict[str, int] = {}
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(0) == "%%":
            return "%"
        if match.group(1):
            return f"${names.setdefault(match.group(1), len(names) + 1)}"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(swap, sql)


def test_every_statement_written_translates() -> None:
    statements = repository_statements()
    assert len(statements) > 200  # the scan finds them
    refused = []
    for where, sql in statements:
        try:
            to_postgres(sql, params=":" not in sql or "?" in sql)
        except Untranslatable as error:
            refused.append(f"{where}: {error}")
    for migration in migrations():
        for sql in split_script(migration.sql):
            to_postgres(sql, params=False)  # DDL: types rewritten, never refused
    assert not refused, "\n".join(refused)


def test_what_cannot_be_said_is_refused_by_name() -> None:
    for sql, words in (("SELECT key FROM json_each(?)", "json_each only as"),
                       ("SELECT typeof(x) FROM t", "typeof()"),
                       ("SELECT * FROM t WHERE name GLOB ?", "GLOB"),
                       ("PRAGMA foreign_keys = ON", "PRAGMA"),
                       ("SELECT * FROM t WHERE a = ?1 OR b = ?", "one kind only")):
        with pytest.raises(Untranslatable, match=re.escape(words)):
            to_postgres(sql)


async def test_the_server_accepts_every_statement_written(pg_server: PostgresServer) -> None:
    url = pg_server.fresh_database()
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        adapter = PgConnection(conn, await read_keys(conn))
        failed = []
        for where, sql in repository_statements():
            statement = adapter.translate(sql, {} if ":" in sql and "?" not in sql else [])
            try:
                await conn.execute(f"PREPARE checked AS {numbered(statement.sql)}")
                await conn.execute("DEALLOCATE checked")
            except psycopg.Error as error:
                failed.append(f"{where}: {error} — {statement.sql}")
    assert not failed, "\n".join(failed)


@BOTH_ENGINES
async def test_looser_sqlite_grammar_gives_the_same_answers(db: Database) -> None:
    async with db.transaction() as store:
        conn = store.audit._db  # the transaction's connection, as every repository holds it
        await conn.execute("CREATE TABLE flags (id INTEGER PRIMARY KEY, on_ INTEGER,"
                           " used INTEGER NOT NULL DEFAULT 0, owner INTEGER)")
        await conn.executemany("INSERT INTO flags (id, on_, owner) VALUES (?, ?, ?)",
                               [(1, 1, None), (2, 0, 7), (3, 1, 7)])
        upsert = ("INSERT INTO flags (id, used) VALUES (?, ?) ON CONFLICT (id) DO UPDATE"
                  " SET used = used + excluded.used WHERE used < 10")
        for _ in range(3):
            await conn.execute(upsert, (1, 4))

        async def ids(sql: str, params: Any = ()) -> list[int]:
            async with conn.execute(sql, params) as cur:
                return [row[0] for row in await cur.fetchall()]

        assert await ids("SELECT used FROM flags WHERE id = 1") == [12]  # 4, 8, 12, then no
        assert await ids("SELECT id FROM flags WHERE on_ ORDER BY id") == [1, 3]
        assert await ids("SELECT id FROM flags WHERE NOT on_ OR (on_ AND owner IS ?1)"
                         " ORDER BY id", (7,)) == [2, 3]
        assert await ids("SELECT id FROM flags WHERE owner IS NOT ?1 AND id IN"
                         " (SELECT value FROM json_each(?2)) ORDER BY id",
                         (7, json.dumps([1, 2]))) == [1]
        assert await ids("SELECT id FROM flags WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
                         (None,)) == [1, 2, 3]
        assert await ids("SELECT f.id FROM (SELECT id, used > 5 AS busy FROM flags) f"
                         " WHERE NOT f.busy ORDER BY f.id") == [2, 3]
