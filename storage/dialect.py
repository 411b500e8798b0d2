"""SQLite's SQL, as the repositories and migrations write it, said in PostgreSQL's words.

The repositories and numbered migrations are written once, in SQLite's dialect. On
PostgreSQL each statement passes through `to_postgres` (cached per text): the grammar that
differs is rewritten here, and the functions SQLite has and PostgreSQL lacks (strftime,
json_remove, group_concat, max(a, b), sum over a condition, sqlite_master…) are created by
`pg_compat.sql`. Together they are the one place where the two engines differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from storage.sql_conditions import (
    bare_conditions,
    null_safe_comparisons,
    qualified_upsert,
    refuse_untranslatable,
)
from storage.sql_tokens import (
    derived_tables_named,
    joins_without_on,
    nulls_like_sqlite,
    split_tokens,
)

_DDL = re.compile(r"^\s*(CREATE\s+TABLE|ALTER\s+TABLE)\b", re.I)
_JSON_IN = re.compile(
    r"\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\s*\(\s*(\?\d*|:[A-Za-z_]\w*)\s*\)\s*\)", re.I
)
_INSERT_OR = re.compile(r"^(\s*)INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)", re.I)


@dataclass(frozen=True)
class Translated:
    """A statement ready for psycopg, and which parameters to hand over as lists."""

    sql: str
    json_lists: frozenset[int | str] = field(default_factory=frozenset)  # `?` index or name
    table: str | None = None  # the table an INSERT adds to (for its new row's id)
    replace: bool = False  # INSERT OR REPLACE: the conflict target is the table's key
    null_tests: frozenset[str] = field(default_factory=frozenset)  # named, also sent as `name~`
    update_ignore: UpdateIgnore | None = None  # UPDATE OR IGNORE: row by row on a conflict
    ddl: bool = False  # CREATE / ALTER TABLE: the table's keys are read again
    upsert: bool = False  # one row, ON CONFLICT … DO UPDATE with no WHERE: always 1 row changed
    numbered: bool = False  # ?1, ?2 …: the parameters are sent by name (p1, p2 …)


@dataclass(frozen=True)
class UpdateIgnore:
    """UPDATE OR IGNORE, taken apart: rows that would break a unique key are left as they are."""

    table: str
    assignments: str  # translated, after SET
    condition: str  # translated, after WHERE (or "TRUE")
    set_params: int  # how many `?` the assignments take


_UPDATE_OR = re.compile(r"^(\s*)UPDATE\s+OR\s+IGNORE\s+", re.I)


def _update_ignore(sql: str) -> tuple[str, UpdateIgnore | None]:
    match = _UPDATE_OR.match(sql)
    if match is None:
        return sql, None
    plain = f"{match.group(1)}UPDATE {sql[match.end():]}"
    tokens = split_tokens(plain)
    words = [t.lower() for t in tokens]
    table = next(t for t in tokens[words.index("update") + 1:] if not t.isspace())
    start = words.index("set") + 1
    end = words.index("where") if "where" in words else len(tokens)
    assignments = "".join(_rewrite_tokens(tokens[start:end], True, False, set()))
    condition = "".join(_rewrite_tokens(tokens[end + 1:], True, False, set())) or "TRUE"
    set_params = tokens[start:end].count("?")
    return plain, UpdateIgnore(table, assignments, condition, set_params)


def _rewrite_json_in(sql: str) -> tuple[str, frozenset[int | str]]:
    """`x IN (SELECT value FROM json_each(?))` → `x = ANY(?)`, the JSON list sent as an array."""
    found: set[int | str] = set()

    def swap(match: re.Match[str]) -> str:
        holder = match.group(1)
        if holder == "?":
            found.add(_placeholders_before(sql, match.start()))
        elif holder.startswith("?"):  # ?N: the Nth parameter
            found.add(int(holder[1:]) - 1)
        else:
            found.add(holder[1:])
        return f"= ANY({holder})"

    return _JSON_IN.sub(swap, sql), frozenset(found)


def _placeholders_before(sql: str, end: int) -> int:
    return sum(1 for token in split_tokens(sql[:end]) if token == "?")


def _tested_for_null(tokens: list[str], i: int) -> bool:
    """Whether the placeholder at `i` is followed by IS [NOT] NULL (a type the server
    cannot guess: it is cast to text, which any value is)."""
    following = [t.lower() for t in tokens[i + 1: i + 8] if not t.isspace()]
    return following[:2] == ["is", "null"] or following[:3] == ["is", "not", "null"]


def _rewrite_tokens(tokens: list[str], params: bool, ddl: bool, nulls: set[str]) -> list[str]:
    """Placeholders to psycopg's, LIKE without case, char() to chr()."""
    out = []
    for i, token in enumerate(tokens):
        low = token.lower()
        if token == "?":
            out.append("CAST(%t AS TEXT)" if _tested_for_null(tokens, i) else "%t")
        elif token[:1] in ":?" and token != "::" and len(token) > 1:  # :name, ?N (as pN)
            name = token[1:] if token[0] == ":" else f"p{token[1:]}"
            if _tested_for_null(tokens, i):  # its own parameter: `:x` may be an integer elsewhere
                nulls.add(name)
                out.append(f"CAST(%({name}~)t AS TEXT)")
            else:
                out.append(f"%({name})t")
        elif low == "like":
            out.append("ILIKE")  # SQLite's LIKE ignores the case of ASCII letters
        elif low in _NOW:
            out.append(_NOW[low])
        elif low == "char" and not ddl:
            out.append("chr")
        elif low == "date" and tokens[i + 1: i + 2] == ["("]:
            out.append("sqlite_date")  # date('…') alone would be read as a cast to DATE
        elif params and "%" in token:
            out.append(token.replace("%", "%%"))
        else:
            out.append(token)
    return out


def _ddl(sql: str) -> str:
    """Column types: SQLite's rowid key becomes an identity, integers are 64-bit; the types
    SQLite stores as text or numbers (dates, JSON, booleans) stay text or numbers."""
    sql = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY\b(\s+AUTOINCREMENT)?",
                 "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql, flags=re.I)
    for sqlite, postgres in _TYPES:  # only where a type goes: after a column's name
        sql = re.sub(_COLUMN + sqlite, rf"\g<column>{postgres}", sql, flags=re.I)
    return re.sub(r"\)\s*(WITHOUT\s+ROWID|STRICT)(\s*,\s*(WITHOUT\s+ROWID|STRICT))?\s*$",
                  ")", sql.rstrip(), flags=re.I)


_COLUMN = r"(?P<column>(?:[(,]|\bCOLUMN\b)\s*(?:\"[^\"]+\"|\w+)\s+)"
_TYPES = (
    (r"(INTEGER|INT|BOOLEAN|BOOL)\b", "BIGINT"),
    (r"(REAL|DOUBLE|FLOAT)\b", "DOUBLE PRECISION"),
    (r"BLOB\b", "BYTEA"),
    (r"(DATETIME|TIMESTAMP|DATE|TIME|JSON)\b", "TEXT"),
)
# SQLite's current time, as text in its own format (a TEXT column compares it as such).
_NOW = {
    "current_timestamp": "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
    "current_date": "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    "current_time": "to_char(now() AT TIME ZONE 'UTC', 'HH24:MI:SS')",
}


def _insert_or(sql: str) -> tuple[str, str | None, bool]:
    """INSERT OR IGNORE/REPLACE → INSERT … ON CONFLICT (REPLACE's target added later)."""
    match = _INSERT_OR.match(sql)
    if match is None:
        plain = re.match(r"^\s*INSERT\s+INTO\s+(\w+)", sql, re.I)
        return sql, (plain.group(1).lower() if plain else None), False
    head = f"{match.group(1)}INSERT INTO {match.group(3)}"
    body = sql[match.end():].rstrip().rstrip(";")
    returning = re.search(r"\bRETURNING\b", body, re.I)
    tail = body[returning.start():] if returning else ""
    body = body[:returning.start()] if returning else body
    if match.group(2).upper() == "IGNORE":
        return f"{head}{body} ON CONFLICT DO NOTHING {tail}", match.group(3).lower(), False
    return f"{head}{body} ON CONFLICT {{conflict}} {tail}", match.group(3).lower(), True


def split_script(script: str) -> list[str]:
    """The statements of a migration script, split at each `;` outside quotes and comments."""
    statements: list[str] = []
    current: list[str] = []
    for token in split_tokens(script):
        if token == ";":
            statements.append("".join(current))
            current = []
        else:
            current.append(token)
    statements.append("".join(current))
    return [s for s in statements if _has_code(s)]


def _without_comments(sql: str) -> str:
    return "".join(t for t in split_tokens(sql) if not t.startswith(("--", "/*")))


def _has_code(statement: str) -> bool:
    return any(not t.isspace() and not t.startswith(("--", "/*")) for t in split_tokens(statement))


@lru_cache(maxsize=4096)
def to_postgres(sql: str, params: bool = True) -> Translated:
    """One SQLite statement in PostgreSQL's dialect (cached: repositories reuse their texts)."""
    sql = _without_comments(sql)  # a migration's statement may open with its comment
    ddl = bool(_DDL.match(sql))
    if ddl:
        sql = _ddl(sql)
    sql, lists = _rewrite_json_in(sql)
    sql, table, replace = _insert_or(sql)
    sql, update_ignore = _update_ignore(sql)
    tokens = split_tokens(sql)
    if not ddl:
        refuse_untranslatable(tokens, sql)
        tokens = qualified_upsert(bare_conditions(null_safe_comparisons(tokens)), table)
    tokens = derived_tables_named(nulls_like_sqlite(joins_without_on(tokens)))
    nulls: set[str] = set()
    text = "".join(_rewrite_tokens(tokens, params, ddl, nulls))
    return Translated(sql=text, json_lists=lists, table=table, replace=replace,
                      null_tests=frozenset(nulls), update_ignore=update_ignore, ddl=ddl,
                      upsert=_one_row_upsert(tokens),
                      numbered=any(t[:1] == "?" and len(t) > 1 for t in tokens))


def _one_row_upsert(tokens: list[str]) -> bool:
    """`INSERT INTO t (…) VALUES (…) ON CONFLICT (…) DO UPDATE SET …` with no WHERE and no
    RETURNING: it changes exactly one row, so nobody needs to wait for its answer."""
    words = [t.lower() for t in tokens if not t.isspace() and not t.startswith(("--", "/*"))]
    if words[:2] != ["insert", "into"] or "values" not in words:
        return False
    depth, groups, after = 0, 0, []
    for i, word in enumerate(words[words.index("values") + 1:]):
        if word == "(":
            groups += depth == 0
            depth += 1
        elif word == ")":
            depth -= 1
        elif depth == 0:
            after = words[words.index("values") + 1 + i:]
            break
    top = _top_level(after)
    return (groups == 1 and top[:2] == ["on", "conflict"] and "do" in top
            and top[top.index("do") + 1] == "update"
            and not {"where", "returning", "select"} & set(top))


def _top_level(words: list[str]) -> list[str]:
    """The words outside parentheses."""
    out, depth = [], 0
    for word in words:
        depth += (word == "(") - (word == ")")
        if depth == 0 and word not in ("(", ")"):
            out.append(word)
    return out
