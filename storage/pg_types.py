"""How values travel between psycopg and the repositories: rows read as `aiosqlite.Row` is
(by position or by name), numbers sent and read back as SQLite takes and gives them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import pq
from psycopg.adapt import Dumper, Loader
from psycopg.rows import RowMaker

_TUPLES = pq.ExecStatus.TUPLES_OK


class Row(Sequence[Any]):
    """One result row: by position, by column name (any case), and `dict(row)`."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: tuple[Any, ...]) -> None:
        self._names = names
        self._values = values

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            index = self._names.get(key)
            if index is None:
                index = self._names[key.lower()]
            return self._values[index]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def keys(self) -> list[str]:
        """Column names, in order."""
        return list(self._names)[: len(self._values)]

    def __repr__(self) -> str:
        return f"Row({dict(zip(self.keys(), self._values, strict=False))!r})"


def has_rows(cursor: Any) -> bool:
    """Whether the cursor's current result is rows (a SELECT, a RETURNING), read from the
    result's status: cheaper than psycopg's `description`, which builds every column's
    details each time it is read."""
    result = cursor.pgresult
    return result is not None and result.status == _TUPLES


def row_factory(cursor: Any) -> RowMaker[Row]:
    """Rows of this cursor's result as `Row`s."""
    names: dict[str, int] = {}
    if has_rows(cursor):
        result = cursor.pgresult
        for i in range(result.nfields):
            names.setdefault((result.fname(i) or b"").decode(), i)
    for name, i in list(names.items()):
        names.setdefault(name.lower(), i)

    def make(values: Sequence[Any]) -> Row:
        return Row(names, tuple(values))

    return make


class _Loose(Dumper):
    """Numbers sent untyped, as SQLite takes them: the server reads them as the context needs
    (a boolean `? OR …`, an integer column, a text one)."""

    oid = 0

    def dump(self, obj: Any) -> bytes:
        """The number's text."""
        return str(int(obj) if isinstance(obj, bool) else obj).encode()


class _Number(Loader):
    """NUMERIC (what SUM of integers gives) back as int when whole, else float, as SQLite."""

    def load(self, data: Any) -> int | float:
        """The number."""
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def adapt(conn: psycopg.AsyncConnection[Any]) -> None:
    """Set a fresh connection's adapters to SQLite's loose typing."""
    for kind in (int, bool, float):
        conn.adapters.register_dumper(kind, _Loose)
    conn.adapters.register_loader("numeric", _Number)
