"""Rewrites of SQLite's looser grammar that PostgreSQL refuses (see storage/dialect.py):
`IS` / `IS NOT` between two values, an integer column used bare as a condition, bare
column names in an upsert's `DO UPDATE`; and what no rewrite covers, refused by name."""

from __future__ import annotations

from storage.sql_tokens import previous_word

# Words that are never a column's name in a condition.
_KEYWORDS = {
    "all", "and", "any", "as", "asc", "between", "by", "case", "cast", "collate", "cross",
    "current_date", "current_time", "current_timestamp", "desc", "distinct", "do", "else",
    "end", "escape", "except", "excluded", "exists", "false", "from", "full", "glob", "group",
    "having", "ilike", "in", "inner", "intersect", "is", "join", "left", "like", "limit",
    "natural", "not", "nothing", "null", "nulls", "offset", "on", "or", "order", "outer",
    "returning", "right", "select", "set", "then", "true", "union", "update", "using",
    "values", "when", "where", "window",
}
_CONDITION_START = {"where", "and", "or", "not", "having"}
_CONDITION_END = {"and", "or", "then", ")", "order", "group", "limit", "having", "union",
                  "returning", "except", "intersect", "window", ";", "else", "end", ""}
_REFUSED = {"glob": "GLOB", "typeof": "typeof()", "printf": "printf()", "rowid": "rowid"}


class Untranslatable(ValueError):
    """A statement in SQLite's SQL that the PostgreSQL dialect cannot say: write it another
    way (docs/postgresql.md, "Writing SQL that runs on both")."""


def _next(tokens: list[str], i: int) -> tuple[int, str]:
    """The index and lower-cased text of the next token after `i` that is not a space."""
    for j in range(i + 1, len(tokens)):
        if not tokens[j].isspace() and not tokens[j].startswith(("--", "/*")):
            return j, tokens[j].lower()
    return len(tokens), ""


def _is_name(token: str) -> bool:
    low = token.lower()
    return (low not in _KEYWORDS and (token[:1].isalpha() or token[:1] == "_")
            and token.replace("_", "a").isalnum())


def null_safe_comparisons(tokens: list[str]) -> list[str]:
    """`a IS b` / `a IS NOT b` (SQLite's NULL-safe equality) → `IS [NOT] DISTINCT FROM`,
    reversed; `IS [NOT] NULL / TRUE / FALSE` stay."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        if token.lower() != "is":
            continue
        j, word = _next(tokens, i)
        negated = word == "not"
        if negated:
            j, word = _next(tokens, j)
        if word in ("null", "true", "false", "distinct", ""):
            continue
        out[i] = "IS DISTINCT FROM" if negated else "IS NOT DISTINCT FROM"
        if negated:
            out[_next(tokens, i)[0]] = ""
    return out


def bare_conditions(tokens: list[str]) -> list[str]:
    """`WHERE flag`, `AND NOT t.flag` → `sqlite_truth(flag)`: PostgreSQL wants a boolean
    there, SQLite takes a number (a column) or a boolean (an alias of a comparison)."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        if not _is_name(token) or not _starts_condition(tokens, i):
            continue
        if previous_word(tokens, i) == "and" and _in_between(tokens, i):
            continue  # BETWEEN x AND y: a value, not a condition
        end, word = _next(tokens, i)
        if word == "." and end + 1 < len(tokens) and _is_name(tokens[end + 1]):
            end, word = _next(tokens, end + 1)
        if word in _CONDITION_END:
            last = end - 1
            while last > i and (tokens[last].isspace() or tokens[last].startswith("--")):
                last -= 1
            out[i] = f"sqlite_truth({out[i]}"  # pg_compat.sql: integer or boolean
            out[last] = f"{out[last]})"
    return out


def _starts_condition(tokens: list[str], i: int) -> bool:
    """Whether position `i` starts an operand of WHERE / AND / OR / NOT / HAVING, inside
    any number of opening parentheses."""
    j = i
    while True:
        word = previous_word(tokens, j)
        if word != "(":
            return word in _CONDITION_START
        j = max(k for k in range(j) if tokens[k] == "(")


def _in_between(tokens: list[str], i: int) -> bool:
    """Whether the AND before position `i` closes a BETWEEN."""
    at = max(j for j in range(i) if tokens[j].lower() == "and")
    depth = 0
    for j in range(at - 1, -1, -1):
        low = tokens[j].lower()
        if low == ")":
            depth += 1
        elif low == "(":
            if depth == 0:
                return False
            depth -= 1
        elif depth == 0 and low == "between":
            return True
        elif depth == 0 and low in ("and", "or", "where", "when", "having", "on"):
            return False
    return False


def qualified_upsert(tokens: list[str], table: str | None) -> list[str]:
    """In `ON CONFLICT … DO UPDATE SET a = a + excluded.a`, a bare `a` on the right (or in
    its WHERE) is ambiguous to PostgreSQL: it is the table's own column, as SQLite reads it."""
    words = [t.lower() for t in tokens]
    if table is None or "excluded" not in words:
        return tokens
    try:
        start = next(i for i, w in enumerate(words)
                     if w == "set" and previous_word(tokens, i) == "update"
                     and "conflict" in words[:i])
    except StopIteration:
        return tokens
    out = list(tokens)
    target = True  # a name left of `=` in the SET list is the column assigned: left bare
    depth = 0
    for i in range(start + 1, len(tokens)):
        token, low = tokens[i], words[i]
        depth += (token == "(") - (token == ")")
        if low == "returning" and depth == 0:
            break
        if depth == 0 and token == ",":
            target = True
        elif depth == 0 and low == "where":
            target = False
        elif target and _is_name(token):
            target = False
            _, after = _next(tokens, i)
            target = after != "="
        elif (_is_name(token) and previous_word(tokens, i) != "."
              and _next(tokens, i)[1] not in ("(", ".")):
            out[i] = f"{table}.{token}"
    return out


def refuse_untranslatable(tokens: list[str], sql: str) -> None:
    """Raise `Untranslatable` for what neither the rewrites nor pg_compat.sql cover."""
    for i, token in enumerate(tokens):
        low = token.lower()
        if low == "json_each":
            raise Untranslatable(
                f"json_each only as `x IN (SELECT value FROM json_each(?))`: {sql}")
        if low in _REFUSED and previous_word(tokens, i) != ".":
            raise Untranslatable(f"{_REFUSED[low]} has no PostgreSQL rewrite: {sql}")
    first = next((t.lower() for t in tokens if not t.isspace()
                  and not t.startswith(("--", "/*"))), "")
    if first in ("pragma", "replace"):
        raise Untranslatable(f"{first.upper()} statements are SQLite's own: {sql}")
    kinds = {"?" if t == "?" else "?N" if t[:1] == "?" else ":name"
             for t in tokens if t[:1] == "?" or (t[:1] == ":" and len(t) > 1 and t != "::")}
    if len(kinds) > 1:
        raise Untranslatable(f"placeholders of one kind only (?, ?1 or :name): {sql}")
