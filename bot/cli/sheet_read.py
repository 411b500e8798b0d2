"""Read the rows of an imported .xlsx or .csv within limits the machine can always afford.

Every import reads its file through here. The limits fit the whole country's list in one
file (about 18,000 products) with room to spare, and keep one import under a few hundred MB
of memory and well under a minute:

- the file itself: at most MAX_FILE_BYTES (10 MB). A 50,000-row, 15-column export is about
  3 MB as .xlsx and 5 MB as .csv.
- an .xlsx unpacked: at most MAX_UNPACKED_BYTES (100 MB), summed over the zip's members as its
  central directory declares them, checked before openpyxl sees the file. Python's zipfile
  never hands out more bytes than a member declares, so a lying header cannot get past it.
  The same 50,000-row export unpacks to about 46 MB.
- rows: at most MAX_ROWS (50,000) data rows in the sheet read, blank rows included (a
  stray cell on row 1,000,000 would otherwise make the reader walk every empty row above it).
- columns: only the first MAX_COLUMNS (50) are read; our sheets have at most 15.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from messages import Format, Renderer

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 50
_MB = 1024 * 1024


class TooLarge(Exception):
    """The file is past one of the limits; `explain` says which, in Vietnamese then English."""

    def __init__(self, template: str, **context: Any) -> None:
        super().__init__(template)
        self.template = template
        self.context = context

    def explain(self, renderer: Renderer) -> str:
        """The refusal in Vietnamese, then in English."""
        return "\n".join(
            renderer.render(locale, self.template, Format.PLAIN, **self.context)
            for locale in ("vi", "en")
        )


class Unreadable(Exception):
    """The file is not a spreadsheet of the kind its name says."""


def check_size(path: Path) -> None:
    """Refuse a file larger than MAX_FILE_BYTES before reading any of it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TooLarge("sheets/file_too_large", name=path.name,
                       size_mb=-(-size // _MB),
                       limit_mb=MAX_FILE_BYTES // _MB)


def _check_unpacked(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
        raise Unreadable(f"{path.name} is not a readable .xlsx file ({error})") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise TooLarge("sheets/unpacks_too_large", name=path.name,
                       limit_mb=MAX_UNPACKED_BYTES // _MB)


def _too_many_rows(path: Path) -> TooLarge:
    return TooLarge("sheets/too_many_rows", name=path.name, limit=MAX_ROWS)


def xlsx_rows(path: Path) -> list[list[Any]]:
    """The first sheet's rows, header included, streamed; TooLarge or Unreadable if refused."""
    found = _sheets(path, first_only=True)
    return found[0][1] if found else []


def xlsx_sheets(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's rows with its title, streamed, within the same limits summed over the
    sheets (a published list may keep its table on any sheet); TooLarge or Unreadable."""
    return _sheets(path, first_only=False)


def _sheets(path: Path, first_only: bool) -> list[tuple[str, list[list[Any]]]]:
    check_size(path)
    _check_unpacked(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise Unreadable(f"{path.name} is not a readable .xlsx file ({error})") from error
    sheets: list[tuple[str, list[list[Any]]]] = []
    read = book.worksheets[:1] if first_only else book.worksheets
    total = 0
    try:
        for sheet in read:
            rows: list[list[Any]] = []
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                total += 1
                if total > MAX_ROWS + len(read):  # each sheet's header and MAX_ROWS rows
                    raise _too_many_rows(path)
                rows.append(list(row))
            sheets.append((sheet.title, rows))
    except TooLarge:
        raise
    except Exception as error:  # a broken or hostile sheet inside a valid zip
        raise Unreadable(f"{path.name} is not a readable .xlsx file ({error})") from error
    finally:
        book.close()
    return sheets


def csv_rows(path: Path) -> list[list[str]]:
    """The rows of a UTF-8 .csv (comma, semicolon or tab), header included; within limits."""
    check_size(path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    for row in csv.reader(text.splitlines(), dialect):
        if len(rows) > MAX_ROWS:
            raise _too_many_rows(path)
        rows.append(row)
    return rows
