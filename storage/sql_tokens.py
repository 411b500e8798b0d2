"""SQLite statements taken apart into tokens, and the rewrites that need their structure:
NULL ordering, joins without ON, unnamed subqueries in FROM (see storage/dialect.py)."""

from __future__ import annotations

import re

# One lexical token: a string literal, a quoted name, a comment, a word, a placeholder, or
# any other single character. Whitespace is kept as its own token so text is rebuilt as is.
_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|\s+|::|:[A-Za-z_]\w*|\?\d*|\w+|.""",
    re.S,
)
_ORDER_END = {"limit", "offset", "for", "union", "except", "intersect", "returning", ";"}


def split_tokens(sql: str) -> list[str]:
    """The statement's tokens; joined again they give the statement back."""
    return _TOKEN.findall(sql)


def nulls_like_sqlite(tokens: list[str]) -> list[str]:
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
        elif low == "by" and previous_word(words, i) == "order":
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


def joins_without_on(tokens: list[str]) -> list[str]:
    """SQLite takes `JOIN x` with no ON (every pair of rows), and `CROSS JOIN x ON …` (an
    inner join in the order written): PostgreSQL says CROSS JOIN for the one, JOIN for the
    other."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        if token.lower() != "join" or previous_word(tokens, i) == "natural":
            continue
        has_on = _join_has_on(tokens[i + 1:])
        if previous_word(tokens, i) == "cross":
            if has_on:
                cross = max(j for j in range(i) if tokens[j].lower() == "cross")
                out[cross] = ""
        elif not has_on:
            out[i] = "CROSS JOIN"
    return out


_NOT_ALIAS = {"where", "group", "order", "limit", "offset", "join", "left", "right", "inner",
              "cross", "natural", "full", "on", "using", "union", "except", "intersect",
              "having", "window", "returning", ")", ",", ";", ""}


def derived_tables_named(tokens: list[str]) -> list[str]:
    """PostgreSQL (before 16) wants a name on every subquery in FROM: give one where missing."""
    out = list(tokens)
    opened: list[tuple[int, bool]] = []  # each "(": its index, whether it starts a FROM subquery
    for i, token in enumerate(tokens):
        if token == "(":
            following = next((t.lower() for t in tokens[i + 1:] if not t.isspace()), "")
            opened.append((i, previous_word(tokens, i) in ("from", "join")
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


def previous_word(tokens: list[str], i: int) -> str:
    """The word before position `i` (spaces and comments skipped), in lower case."""
    for token in reversed(tokens[:i]):
        if not token.isspace() and not token.startswith("--"):
            return token.lower()
    return ""
