"""Read a spreadsheet's rows: what its zip directory promises first, then the cells.

This runs inside the reader process (bot/cli/sheet_child.py), under its memory and time
ceilings; nothing here is called on the bot's event loop. An .xlsx is refused before
openpyxl sees it when its directory or its first bytes promise more than an import needs:

- every member together unpacked over MAX_UNPACKED_BYTES (100 MB);
- a member over 1 MB packed more than MAX_RATIO (100) times: real sheets pack 5 to 20 times,
  a spreadsheet bomb (one row of millions of empty cells) a thousand times;
- the shared strings over MAX_SHARED_STRINGS_BYTES (50 MB) unpacked;
- a first sheet (as the workbook orders them) whose <dimension> says more than MAX_ROWS rows;
- sheets with more than MAX_CELLS cells together (counted while streaming their XML, 1 MB
  at a time, without parsing it).
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as DefusedET

from bot.cli.sheet_read import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    TooLarge,
    Unreadable,
    check_size,
)

_MB = 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = _MB
MAX_SHARED_STRINGS_BYTES = 50 * _MB
MAX_CELLS = 2_000_000  # 50,000 rows of 40 columns; our sheets have at most 15
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, or a password-protected .xlsx
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted .xlsx keeps


def xlsx_problem(path: Path, detail: str) -> Unreadable:
    """Why an .xlsx cannot be read, from its first bytes: an old .xls, a password, a damaged
    file, or no spreadsheet at all (the library's `detail` goes to the log only)."""
    with path.open("rb") as file:
        data = file.read(MAX_FILE_BYTES)  # the size was checked: the whole file
    if data.startswith(_OLE2):
        kind = "xlsx_password" if _ENCRYPTED in data else "xlsx_old"
    elif data.startswith(b"PK"):
        kind = "xlsx_damaged"
    else:
        kind = "xlsx_not_sheet"
    return Unreadable(kind, path.name, detail)


def _too_many_rows(path: Path) -> TooLarge:
    return TooLarge("sheets/too_many_rows", name=path.name, limit=MAX_ROWS)


def _small_xml(archive: zipfile.ZipFile, name: str) -> Any:
    """A small member (the workbook, its relationships) parsed safely; None if absent or big."""
    try:
        item = archive.getinfo(name)
    except KeyError:
        return None
    if item.file_size > _MB:
        return None
    try:
        return DefusedET.fromstring(archive.read(item))
    except Exception:  # not XML, or hostile: openpyxl will say the file is unreadable
        return None


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The member openpyxl reads as the first sheet: the workbook's first <sheet>, through its
    relationship; None if the workbook does not say."""
    book, rels = _small_xml(archive, "xl/workbook.xml"), _small_xml(
        archive, "xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return None
    first = next((e for e in book.iter() if str(e.tag).endswith("}sheet")), None)
    rid = next((v for k, v in (first.attrib.items() if first is not None else ())
                if k.endswith("}id")), None)
    for rel in rels.iter():
        if rid is not None and rel.get("Id") == rid and (target := rel.get("Target")):
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _scan_sheet(path: Path, archive: zipfile.ZipFile, sheet: zipfile.ZipInfo,
                cells: int, read: bool) -> int:
    """The cells a sheet holds, added to `cells`, read without parsing XML (a tag cut between
    two chunks is not counted: a few cells more or less do not matter); for the sheet `read`,
    also the rows its <dimension> declares."""
    with archive.open(sheet) as stream:
        first = read
        while chunk := stream.read(_MB):
            found = _DIMENSION.search(chunk) if first else None
            if found and int(found.group(1)) > MAX_ROWS + 1:
                raise _too_many_rows(path)
            first = False
            cells += len(_CELL.findall(chunk))
            if cells > MAX_CELLS:
                raise TooLarge("sheets/too_many_cells", name=path.name, limit=MAX_CELLS)
    return cells


def check_zip(path: Path) -> None:
    """Refuse an .xlsx whose zip directory or cells promise more than an import needs."""
    try:
        with zipfile.ZipFile(path) as archive:
            items = archive.infolist()
            if sum(item.file_size for item in items) > MAX_UNPACKED_BYTES:
                raise TooLarge("sheets/unpacks_too_large", name=path.name,
                               limit_mb=MAX_UNPACKED_BYTES // _MB)
            for item in items:
                packed = max(item.compress_size, 1)
                if item.file_size > RATIO_FLOOR and item.file_size > MAX_RATIO * packed:
                    raise TooLarge("sheets/packed_too_tightly", name=path.name)
                if (item.filename.lower().endswith("sharedstrings.xml")
                        and item.file_size > MAX_SHARED_STRINGS_BYTES):
                    raise TooLarge("sheets/unpacks_too_large", name=path.name,
                                   limit_mb=MAX_SHARED_STRINGS_BYTES // _MB)
            sheets = sorted((item for item in items if item.filename.startswith(
                "xl/worksheets/") and item.filename.endswith(".xml")), key=lambda i: i.filename)
            read = _first_sheet(archive) or (sheets[0].filename if sheets else None)
            cells = 0  # every sheet counts: openpyxl may be led to any of them
            for sheet in sheets:
                cells = _scan_sheet(path, archive, sheet, cells, sheet.filename == read)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise xlsx_problem(path, str(error)) from error


def parse_xlsx(path: Path) -> list[list[Any]]:
    """The first sheet's rows, header included, streamed; TooLarge or Unreadable if refused."""
    found = parse_sheets(path, first_only=True)
    return found[0][1] if found else []


def parse_sheets(path: Path, first_only: bool = False) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's rows with its title (a published list may keep its table on any sheet),
    streamed, within the same limits summed over the sheets; TooLarge or Unreadable."""
    check_size(path)
    check_zip(path)
    from openpyxl import load_workbook  # heavy: loaded when a sheet is read (out of the try:
    # a MemoryError while importing is the ceiling, not an unreadable file)

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise xlsx_problem(path, str(error)) from error
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
    except (TooLarge, MemoryError):
        raise
    except Exception as error:  # a broken or hostile sheet inside a valid zip
        raise Unreadable("xlsx_damaged", path.name, str(error)) from error
    finally:
        book.close()
    return sheets


def parse_csv(path: Path) -> list[list[str]]:
    """The rows of a UTF-8 .csv (comma, semicolon or tab), header included; within limits."""
    check_size(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[:error.start].count(b"\n") + 1
        kind = "csv_binary" if b"\x00" in error.object[:4096] else "utf8"
        raise Unreadable(kind, path.name, str(error), line) from error
    try:
        dialect: Any = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    try:
        for row in csv.reader(text.splitlines(), dialect):
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(path)
            rows.append(row)
    except csv.Error as error:  # a cell over csv's field limit (131,072 characters), a NUL
        raise Unreadable(_csv_kind(str(error)), path.name, str(error), len(rows) + 1) from error
    return rows


def _csv_kind(detail: str) -> str:
    """The kind of a .csv the csv module refused, from its (English) reason."""
    if "field limit" in detail:
        return "csv_long_cell"
    return "csv_binary" if "NUL" in detail else "csv_damaged"


__all__ = ["MAX_FILE_BYTES", "check_zip", "parse_csv", "parse_sheets", "parse_xlsx"]
