"""Where a published list's table is: the sheet, the header row (below a title block, over one
or two rows of merged cells) and which column holds what. Pure functions over rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from handlers.claims import values
from messages import Renderer

COLUMNS = (
    "product_name", "producer_name", "entity_type", "contact_name", "phone", "province",
    "commune", "product_set", "stars", "score", "decision_number", "decision_date",
    "certificate_number", "authority", "product_code",
)
REQUIRED = ("product_name", "stars")
IGNORED = "-"  # --column "Địa chỉ=-": the column is not read
SEARCHED_ROWS = 30  # a title block is a few rows; a header lower than this is not a header
_NOTE = re.compile(r"\([^)]*\)")
_LETTERS = re.compile(r"^[A-Za-z]{1,2}$")
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")

Names = dict[str, str]  # a header as compared (loose) → its column key


def header_names(renderer: Renderer) -> Names:
    """Every way a column's header is written, in both languages, to its key."""
    names: Names = {}
    for key in COLUMNS:
        names.setdefault(values.loose(key.replace("_", " ")), key)
        for locale in values.LOCALES:
            names.setdefault(values.loose(renderer.label(locale, f"certified_column.{key}")), key)
            typed = renderer.label(locale, f"certified_header.{key}")
            for name in typed.split(","):
                if name.strip():
                    names.setdefault(values.loose(name), key)
    return names


def letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 → A, 26 → AA."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def place(text: Any, names: Names, mapping: Names) -> str | None:
    """The column key a header names (the officer's mapping first), or None."""
    folded = values.loose(values.text_of(text))
    if not folded:
        return None
    for table in (mapping, names):
        if folded in table:
            return table[folded] or None
    for key in COLUMNS:
        if folded.endswith(f" {key.replace('_', ' ')}"):  # the template's "Số sao (stars)"
            return key
    bare = values.loose(_NOTE.sub(" ", values.text_of(text)))  # "Số điện thoại (nếu có)"
    if bare in mapping:
        return mapping[bare] or None
    return names.get(bare)


def parse_mapping(typed: list[str], names: Names) -> tuple[Names, dict[str, str], list[str]]:
    """--column "Hạng sao=stars" options (or "Địa chỉ=-": not read): (header → key,
    letter → key, the options that could not be read)."""
    by_header: Names = {}
    by_letter: dict[str, str] = {}
    bad: list[str] = []
    for item in typed:
        header, _, target = item.rpartition("=")
        key = target.strip() if target.strip() in COLUMNS else names.get(values.loose(target))
        if target.strip() == IGNORED:
            key = ""  # the officer says this column is not to be read
        if not header.strip() or key is None:
            bad.append(item)
        elif _LETTERS.match(header.strip()):
            by_letter[header.strip().upper()] = key
        else:
            by_header[values.loose(header)] = key
    return by_header, by_letter, bad


@dataclass
class Layout:
    """Where the table is in a sheet, and what each column holds."""

    sheet: str
    header_row: int  # 1-based, as the spreadsheet shows it
    data_start: int  # 0-based index of the first data row
    columns: list[str | None]
    headers: list[str]  # the header of each column as written (two rows joined)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (letter, header)
    header_rows: int = 1  # 2 when a merged row of headers tops the row below it

    @property
    def missing(self) -> list[str]:
        """Required columns that no header names."""
        return [key for key in REQUIRED if key not in self.columns]

    @property
    def score(self) -> tuple[int, int, int]:
        """How good a header this is: required columns found, columns found, fewest headers
        left unplaced."""
        return (sum(k in self.columns for k in REQUIRED), len({k for k in self.columns if k}),
                -len(self.unplaced))


def _placed(
    headers: list[str], names: Names, mapping: Names, by_letter: dict[str, str]
) -> list[str | None]:
    columns: list[str | None] = []
    for index, text in enumerate(headers):
        column = letter(index)
        key = (by_letter[column] or None) if column in by_letter else place(text, names, mapping)
        columns.append(None if key in columns else key)  # a second "Tỉnh" column is not read
    return columns


def _joined(top: list[Any], below: list[Any], names: Names, mapping: Names) -> list[str]:
    """Two header rows as one: a merged top cell ("Quyết định công nhận") spreads over the
    cells below it ("Số", "Ngày"); a lower cell that names a column alone is taken alone."""
    width = max(len(top), len(below))
    joined, parent = [], ""
    for index in range(width):
        upper = values.text_of(top[index]) if index < len(top) else ""
        lower = values.text_of(below[index]) if index < len(below) else ""
        if upper:
            parent = upper
        elif not lower:
            parent = ""
        both = f"{parent} {lower}".strip()
        if not lower:
            joined.append(upper)
        elif place(lower, names, mapping) or not place(both, names, mapping):
            joined.append(lower)
        else:
            joined.append(both)
    return joined


def _layout(sheet: str, rows: list[list[Any]], index: int, headers: list[str], extra: int,
            names: Names, mapping: Names, by_letter: dict[str, str]) -> Layout:
    while headers and not headers[-1]:
        headers = headers[:-1]
    columns = _placed(headers, names, mapping, by_letter)
    unplaced = [(letter(i), text) for i, (text, key) in enumerate(zip(headers, columns,
                                                                       strict=True))
                if text and key is None and not _NUMBERING.match(text)]
    start = index + 1 + extra
    if start < len(rows) and _is_numbering(rows[start]):
        start += 1  # the "(1) (2) (3)" row under many official tables
    return Layout(sheet, index + 1, start, columns, headers, unplaced, 1 + extra)


def _is_numbering(row: list[Any]) -> bool:
    cells = [values.text_of(c) for c in row if values.text_of(c)]
    return len(cells) >= 3 and all(_NUMBERING.match(c) for c in cells)


def layout_at(
    sheets: list[tuple[str, list[list[Any]]]], at: tuple[str, int, int], names: Names,
    mapping: Names | None = None, by_letter: dict[str, str] | None = None,
) -> Layout | None:
    """The header at a known place (sheet, 1-based row, header rows), as a console's mapping
    step found it; None when the file has no such place."""
    sheet, number, header_rows = at
    rows = dict(sheets).get(sheet)
    if rows is None or not 1 <= number <= len(rows) or header_rows not in (1, 2):
        return None
    index = number - 1
    if header_rows == 2 and index + 1 < len(rows):
        top = _joined(rows[index], rows[index + 1], names, mapping or {})
    else:
        top, header_rows = [values.text_of(c) for c in rows[index]], 1
    return _layout(sheet, rows, index, top, header_rows - 1, names, mapping or {},
                   by_letter or {})


def find_layout(
    sheets: list[tuple[str, list[list[Any]]]], names: Names, mapping: Names | None = None,
    by_letter: dict[str, str] | None = None, strict: bool = True,
) -> Layout | None:
    """The best header of all the sheets (one row, or two joined); None if none names even the
    product's column (unless not strict: then the likeliest row of a non-empty file)."""
    mapping, by_letter = mapping or {}, by_letter or {}
    best: Layout | None = None
    for sheet, rows in sheets:
        for index, row in enumerate(rows[:SEARCHED_ROWS]):
            top = [values.text_of(c) for c in row]
            found = [_layout(sheet, rows, index, top, 0, names, mapping, by_letter)]
            if index + 1 < len(rows) and not _is_numbering(rows[index + 1]):
                two = _joined(row, rows[index + 1], names, mapping)
                found.append(_layout(sheet, rows, index, two, 1, names, mapping, by_letter))
            for layout in found:  # a tie goes to one header row, then to the earlier row
                if best is None or (layout.score, -layout.header_rows) > (
                        best.score, -best.header_rows):
                    best = layout
    if best is None or (strict and ("product_name" not in best.columns or best.score[1] < 2)):
        return None
    return best
