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

# One lexical token: a string literal, a quoted name, a comment, a word, a placeholder, or
# any other single character. Whitespace is kept as its own token so text is rebuilt as is.
_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|\s+|::|:[A-Za-z_]\w*|\?|\w+|.""",
    re.S,
)
_DDL = re.compile(r"^\s*(CREATE\s+TABLE|ALTER\s+TABLE)\b", re.I)
_JSON_IN = re.compile(
    r"\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\s*\(\s*(\?|:[A-Za-z_]\w*)\s*\)\s*\)", re.I
)
_INSERT_OR = re.compile(r"^(\s*)INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)", re.I)
_ORDER_END = {"limit", "offset", "for", "union", "except", "intersect", "returning", ";"}


@dataclass(frozen=True)
class Translated:
    """A statement ready for psycopg, and which parameters to hand over as lists."""

    sql: str
    json_lists: frozenset[int | str] = field(default_factory=frozenset)  # `?` index or name
    table: str | None = None  # the table an INSERT adds to (for its new row's id)
    replace: bool = False  # INSERT OR REPLACE: the conflict target is the table's key
    null_tests: frozenset[str] = field(default_factory=frozenset)  # named, also sent as `name~`
    update_ignore: UpdateIgnore | None = None  # UPDATE OR IGNORE: row by row on a conflict


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
    tokens = _tokens(plain)
    words = [t.lower() for t in tokens]
    table = next(t for t in tokens[words.index("update") + 1:] if not t.isspace())
    start = words.index("set") + 1
    end = words.index("where") if "where" in words else len(tokens)
    assignments = "".join(_rewrite_tokens(tokens[start:end], True, False, set()))
    condition = "".join(_rewrite_tokens(tokens[end + 1:], True, False, set())) or "TRUE"
    set_params = tokens[start:end].count("?")
    return plain, UpdateIgnore(table, assignments, condition, set_params)


def _tokens(sql: str) -> list[str]:
    return _TOKEN.findall(sql)


def _is_word(token: str, *words: str) -> bool:
    return token.lower() in words


def _rewrite_json_in(sql: str) -> tuple[str, frozenset[int | str]]:
    """`x IN (SELECT value FROM json_each(?))` → `x = ANY(?)`, the JSON list sent as an array."""
    found: set[int | str] = set()

    def swap(match: re.Match[str]) -> str:
        holder = match.group(1)
        if holder == "?":
            found.add(_placeholders_before(sql, match.start()))
        else:
            found.add(holder[1:])
        return f"= ANY({holder})"

    return _JSON_IN.sub(swap, sql), frozenset(found)


def _placeholders_before(sql: str, end: int) -> int:
    return sum(1 for token in _tokens(sql[:end]) if token == "?")


def _nulls_like_sqlite(tokens: list[str]) -> list[str]:
    """SQLite sorts NULL first when ascending: say so in every ORDER BY."""
    out: list[str] = []
    depth = 0
    order_depth: list[int] = []  # paren depths with an ORDER BY in progress
    pending_desc = False

    def close_item() -> None:
        nonlocal pending_desc
        words = " NULLS LAST" if pending_desc else " NULLS FIRST"
        at = len(out) - 1 if out and out[-1].isspace() else len(out)
        out.insert(at, words)
        pending_desc = False

    words = tokens
    for i, token in enumerate(words):
        low = token.lower()
        inside = bool(order_depth) and order_depth[-1] == depth
        if inside and (low in _ORDER_END or token == ")" or token == ","):
            close_item()
            if token != ",":
                order_depth.pop()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif low == "by" and _previous_word(words, i) == "order":
            order_depth.append(depth)
        elif inside and low == "desc":
            pending_desc = True
        elif inside and low == "nulls":
            pending_desc = False
            order_depth.pop()  # the statement says it itself
        out.append(token)
    if order_depth and order_depth[-1] == depth:
        close_item()
    return out


_JOIN_END = {"join", "where", "group", "order", "limit", "having", "union", "returning", ";"}


def _joins_without_on(tokens: list[str]) -> list[str]:
    """SQLite takes `JOIN x` with no ON (every pair of rows), and `CROSS JOIN x ON …` (an
    inner join in the order written): PostgreSQL says CROSS JOIN for the one, JOIN for the
    other."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        if token.lower() != "join" or _previous_word(tokens, i) == "natural":
            continue
        has_on = _join_has_on(tokens[i + 1:])
        if _previous_word(tokens, i) == "cross":
            if has_on:
                cross = max(j for j in range(i) if tokens[j].lower() == "cross")
                out[cross] = ""
        elif not has_on:
            out[i] = "CROSS JOIN"
    return out


_NOT_ALIAS = {"where", "group", "order", "limit", "offset", "join", "left", "right", "inner",
              "cross", "natural", "full", "on", "using", "union", "except", "intersect",
              "having", "window", "returning", ")", ",", ";", ""}


def _derived_tables_named(tokens: list[str]) -> list[str]:
    """PostgreSQL (before 16) wants a name on every subquery in FROM: give one where missing."""
    out = list(tokens)
    opened: list[tuple[int, bool]] = []  # each "(": its index, whether it starts a FROM subquery
    for i, token in enumerate(tokens):
        if token == "(":
            following = next((t.lower() for t in tokens[i + 1:] if not t.isspace()), "")
            opened.append((i, _previous_word(tokens, i) in ("from", "join")
                           and following == "select"))
        elif token == ")" and opened:
            _, derived = opened.pop()
            after = next((t.lower() for t in tokens[i + 1:] if not t.isspace()), "")
            if derived and after in _NOT_ALIAS:
                out[i] = f") AS derived_{i}"
    return out


def _join_has_on(following: list[str]) -> bool:
    depth = 0
    for later in following:
        low = later.lower()
        if later == "(":
            depth += 1
        elif later == ")":
            depth -= 1
            if depth < 0:
                return False
        elif depth == 0 and low in ("on", "using"):
            return True
        elif depth == 0 and low in _JOIN_END:
            return False
    return False


def _previous_word(tokens: list[str], i: int) -> str:
    for token in reversed(tokens[:i]):
        if not token.isspace() and not token.startswith("--"):
            return token.lower()
    return ""


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
        elif token.startswith(":") and token != "::" and len(token) > 1:
            if _tested_for_null(tokens, i):  # its own parameter: `:x` may be an integer elsewhere
                nulls.add(token[1:])
                out.append(f"CAST(%({token[1:]}~)t AS TEXT)")
            else:
                out.append(f"%({token[1:]})t")
        elif low == "like":
            out.append("ILIKE")  # SQLite's LIKE ignores the case of ASCII letters
        elif low == "char" and not ddl:
            out.append("chr")
        elif params and "%" in token:
            out.append(token.replace("%", "%%"))
        else:
            out.append(token)
    return out


def _ddl(sql: str) -> str:
    """Column types: SQLite's rowid key becomes an identity, integers are 64-bit."""
    sql = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY\b(\s+AUTOINCREMENT)?",
                 "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql, flags=re.I)
    sql = re.sub(r"\bINTEGER\b", "BIGINT", sql, flags=re.I)
    sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql, flags=re.I)
    return re.sub(r"\bBLOB\b", "BYTEA", sql, flags=re.I)


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
    for token in _tokens(script):
        if token == ";":
            statements.append("".join(current))
            current = []
        else:
            current.append(token)
    statements.append("".join(current))
    return [s for s in statements if _has_code(s)]


def _without_comments(sql: str) -> str:
    return "".join(t for t in _tokens(sql) if not t.startswith(("--", "/*")))


def _has_code(statement: str) -> bool:
    return any(not t.isspace() and not t.startswith(("--", "/*")) for t in _tokens(statement))


@lru_cache(maxsize=4096)
def to_postgres(sql: str, params: bool = True) -> Translated:
    """One SQLite statement in PostgreSQL's dialect (cached: repositories reuse their texts)."""
    ddl = bool(_DDL.match(_without_comments(sql)))
    if ddl:
        sql = _ddl(sql)
    sql, lists = _rewrite_json_in(sql)
    sql, table, replace = _insert_or(sql)
    sql, update_ignore = _update_ignore(sql)
    tokens = _derived_tables_named(_nulls_like_sqlite(_joins_without_on(_tokens(sql))))
    nulls: set[str] = set()
    text = "".join(_rewrite_tokens(tokens, params, ddl, nulls))
    return Translated(sql=text, json_lists=lists, table=table, replace=replace,
                      null_tests=frozenset(nulls), update_ignore=update_ignore)
