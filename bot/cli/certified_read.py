"""A certified-products list read as a province publishes it: the file's sheets, its header
found (handlers/claims/headers.py), its data rows. Shared by the CLI and the console."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.cli.sheet_read import Unreadable, csv_rows, xlsx_sheets
from handlers.claims import headers, values
from handlers.claims.importing import Row
from messages import Format, Renderer


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is already in the officer's language.
    `unplaced` and `missing` are set when only the columns are in question (the console then
    asks the officer to map them)."""

    def __init__(self, message: str, unplaced: list[tuple[str, str]] | None = None,
                 missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.unplaced = unplaced or []
        self.missing = missing or []


@dataclass
class Table:
    """The rows of a list, with where they were found."""

    layout: headers.Layout
    rows: list[Row] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)  # rows with one cell: group titles


def say(renderer: Renderer, lang: str, key: str, **context: Any) -> str:
    """One `certified/` message as plain text."""
    return renderer.render(lang, f"certified/{key}", Format.PLAIN, **context).strip()


def file_sheets(path: Path, renderer: Renderer, lang: str) -> list[tuple[str, list[list[Any]]]]:
    """The file's sheets and their rows (TooLarge or FileProblem when it cannot be read)."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise FileProblem(say(renderer, lang, "no_file_type", name=path.name))
    try:
        if suffix == ".xlsx":
            return xlsx_sheets(path)
        return [(path.stem, [list(row) for row in csv_rows(path)])]
    except (Unreadable, UnicodeDecodeError, csv.Error) as error:  # csv.Error: a huge cell
        raise FileProblem(say(renderer, lang, "file_problem", problem=error)) from error


def _unplaced_text(unplaced: list[tuple[str, str]]) -> str:
    return ", ".join(f"“{text}” ({column})" for column, text in unplaced)


def table_of(
    sheets: list[tuple[str, list[list[Any]]]], name: str, renderer: Renderer, lang: str,
    need_province: bool, mapping: list[str] | tuple[str, ...] = (),
    at: tuple[str, int, int] | None = None,
) -> Table:
    """Find the table (or take it where the console's mapping step found it) and read its
    rows; FileProblem names what is missing and what could not be placed."""
    names = headers.header_names(renderer)
    by_header, by_letter, bad = headers.parse_mapping(list(mapping), names)
    if bad:
        raise FileProblem(say(renderer, lang, "bad_mapping", typed="; ".join(bad)))
    if not any(rows for _, rows in sheets):
        raise FileProblem(say(renderer, lang, "empty", name=name))
    if at is not None:
        layout = headers.layout_at(sheets, at, names, by_header, by_letter)
    else:
        layout = headers.find_layout(sheets, names, by_header, by_letter)
    if layout is None or layout.missing:
        missing = layout.missing if layout else list(headers.REQUIRED)
        unplaced = layout.unplaced if layout else []
        shown = ", ".join(renderer.label(lang, f"certified_column.{k}") for k in missing)
        message = say(renderer, lang, "missing_columns", name=name, columns=shown)
        if unplaced:
            usual = {values.loose(n) for locale in values.LOCALES
                     for n in renderer.label(locale, "certified_header.not_used").split(",")}
            likely = [text for _, text in unplaced if values.loose(text) not in usual]
            message += "\n" + say(renderer, lang, "unplaced", columns=_unplaced_text(unplaced),
                                  example=(likely or [unplaced[0][1]])[0],
                                  column_key=missing[0])
        raise FileProblem(message, unplaced, missing)
    if need_province and "province" not in layout.columns:
        raise FileProblem(say(renderer, lang, "no_province"))
    rows = dict(sheets)[layout.sheet]
    table = Table(layout)
    for index in range(layout.data_start, len(rows)):
        cells = rows[index]
        by_key = {k: v for k, v in zip(layout.columns, cells, strict=False) if k is not None}
        filled = [k for k, v in by_key.items() if values.text_of(v)]
        if not filled:
            continue
        if len(filled) == 1 and not values.text_of(by_key.get("stars")):
            table.sections.append(index + 1)  # "I. HUYỆN CẦU KÈ", "Tổng cộng: 283 sản phẩm"
            continue
        table.rows.append(Row(number=index + 1, cells=by_key, raw=tuple(cells)))
    return table


def ignored_text(table: Table) -> str:
    """The columns read but not used, as the preview names them ("" when none)."""
    return _unplaced_text(table.layout.unplaced)
