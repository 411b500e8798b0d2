"""Lists shaped as provinces publish them: a decision's annex with a title block, a numbering
row, group titles, merged headers, stars and years written every way, NFD text, a notes sheet."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ANNEX_HEADER = ["STT", "Tên sản phẩm", "Tên chủ thể", "Loại hình", "Địa chỉ", "Tỉnh",
                "Hạng sao", "Năm công nhận", "Số QĐ"]
TITLE = [
    ["ỦY BAN NHÂN DÂN", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["TỈNH VĨNH LONG"],
    [],
    ["DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT CHUẨN OCOP"],
    ["(Kèm theo Quyết định số 1234/QĐ-UBND ngày 15/11/2023 của UBND tỉnh)"],
]
STARS = ["3", 3.0, "3.0", "3 sao", "3 sao (***)", "***", "★★★", "3*", "4.0", "4 sao (****)",
         "★★★★", 5]


def nfd(text: str) -> str:
    """The text with its tone marks decomposed, as some exports write Vietnamese."""
    return unicodedata.normalize("NFD", text)


def annex_rows(count: int = len(STARS), start: int = 0) -> list[list[Any]]:
    """Data rows in the annex's columns: every star spelling, some rows without producer."""
    rows: list[list[Any]] = []
    for n in range(start, start + count):
        stars = STARS[n % len(STARS)]
        producer = "" if n % 4 == 3 else f"HTX Nông nghiệp Phú {n // 2}"
        province = ("Vĩnh Long", "Tỉnh Trà Vinh", "BẾN TRE", nfd("Thanh Hoá"))[n % 4]
        if str(stars).startswith("5") or stars == 5:
            year: Any = 2024
        else:
            year = 2021 + n % 4
        rows.append([n + 1, nfd(f"Bánh tráng số {n}") if n % 5 == 0 else f"Bánh tráng số {n}",
                     producer, "HTX" if producer else "", f"Ấp {n}, xã Tân Phú", province,
                     stars, year, f"{100 + n % 3}/QĐ-UBND"])
    return rows


def annex_book(path: Path, rows: list[list[Any]], *, merged: bool = False,
               header: list[str] | None = None) -> Path:
    """An .xlsx like a decision's annex: a notes sheet first, then the list on its own sheet
    under a title block, a numbering row and a group title (two header rows when merged)."""
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Hướng dẫn"
    notes.append(["Ghi chú: danh sách kèm theo ở trang sau"])
    sheet = book.create_sheet("Phụ lục")
    for line in TITLE:
        sheet.append(line)
    columns = list(header or ANNEX_HEADER)
    if merged:
        top = [*columns[:7], "Quyết định công nhận", None]
        sheet.append(top)
        sheet.append([None] * 7 + ["Năm", "Số"])
        row = sheet.max_row
        sheet.merge_cells(start_row=row - 1, start_column=8, end_row=row - 1, end_column=9)
        for column in range(1, 8):
            sheet.merge_cells(start_row=row - 1, start_column=column, end_row=row,
                              end_column=column)
    else:
        sheet.append(columns)
    sheet.append([f"({i})" for i in range(1, len(columns) + 1)])
    sheet.append(["I", "HUYỆN CẦU KÈ"])
    for values in rows:
        sheet.append(values)
    sheet.append(["", "Tổng cộng: " + str(len(rows)) + " sản phẩm"])
    book.save(path)
    return path
