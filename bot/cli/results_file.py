"""Read a results spreadsheet (.xlsx or .csv) into rows, and write its template."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.cli.say import current, say
from bot.cli.sheet_read import Unreadable, csv_rows, xlsx_rows
from handlers.rating.results_import import COLUMNS, REQUIRED, Row
from messages import Renderer
from messages.sheets import append_row, csv_row, new_sheet
from messages.text import fold


class FileProblem(Exception):
    """The file as a whole cannot be read (type, header, missing columns)."""


def headers(renderer: Renderer) -> list[str]:
    """The template's header cells, as officers name the columns (the reader also takes the
    English names, the keys, and the older "Mã hồ sơ (product_id)" form)."""
    return [renderer.label("vi", f"import_column.{key}") for key in COLUMNS]


def _column_of(cell: Any, renderer: Renderer) -> str | None:
    text = fold(str(cell or ""))
    for key in COLUMNS:
        names = {
            key,
            fold(renderer.label("vi", f"import_column.{key}")),
            fold(renderer.label("en", f"import_column.{key}")),
        }
        if text in names or text.endswith(f"({key})"):
            return key
    return None


def _raw(path: Path) -> list[list[Any]]:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise FileProblem(say("sheet.only_xlsx_csv", file=path.name))
    try:
        return list(xlsx_rows(path)) if suffix == ".xlsx" else list(csv_rows(path))
    except Unreadable as error:
        raise FileProblem(str(error)) from error


def read_rows(path: Path, renderer: Renderer) -> list[Row]:
    """The file's data rows (row numbers as a spreadsheet shows them); FileProblem if unusable,
    TooLarge past the limits of bot.sheet_read."""
    raw = _raw(path)
    if not raw:
        raise FileProblem(say("sheet.empty", file=path.name))
    columns = [_column_of(cell, renderer) for cell in raw[0]]
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        names = [renderer.label(current(), f"import_column.{key}") for key in missing]
        raise FileProblem(say("sheet.missing_columns", columns=", ".join(names)))
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        cells = {
            key: value for key, value in zip(columns, values, strict=False) if key is not None
        }
        if all(value in (None, "") for value in cells.values()):
            continue
        rows.append(Row(number=number, cells=cells))
    return rows


def write_template(path: Path, renderer: Renderer,
                   waiting: Sequence[tuple[int, str]] = ()) -> None:
    """Write a results file with the header row (.xlsx, or .csv by its suffix), with one row
    per dossier `waiting` for a result (its id and name filled in)."""
    filled = [[pid, name] for pid, name in waiting]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(csv_row(headers(renderer)))
            writer.writerows(csv_row(row) for row in filled)
        return

    book, sheet = new_sheet(renderer.label("vi", "results_sheet.title"), headers(renderer))
    for row in filled:
        append_row(sheet, row)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFG", (18, 40, 10, 22, 20, 24, 16), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)
