"""Rows shaped like published OCOP lists: commas, quotes, en dashes, Ð for Đ, HTX/TNHH."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HEADER = [
    "STT", "Tên sản phẩm", "Chủ thể", "Loại hình", "Người liên hệ", "Số điện thoại",
    "Tỉnh/thành", "Xã/phường", "Bộ sản phẩm", "Số sao", "Điểm", "Số quyết định",
    "Ngày quyết định", "Số GCN", "Cấp công nhận",
]


def soon(days: int) -> date:
    """A decision date whose 36-month certificate expires in `days` days."""
    expires = date.today() + timedelta(days=days)
    return expires.replace(year=expires.year - 3)


def real_rows() -> list[list[Any]]:
    """Eight rows with the quirks of real lists."""
    return [
        [1, "Mắm tép “Bà Ba”, loại đặc biệt", "HTX Nông nghiệp Cờ Ðỏ", "", "Thạch Sơn",
         "0912 345 678", "Tỉnh Trà Vinh", "Xã Cầu Kè", "Tương, nước mắm", "4 sao", 78.5,
         "1234/QĐ-UBND", "15/11/2020", "TV-2020-01", "UBND tỉnh Trà Vinh"],
        [2, "Bánh tét lá cẩm – Trà Cuôn", "HTX Nông nghiệp Cờ Ðỏ", "HTXNN", "", "0912345678",
         "Trà Vinh", "", "", "3*", "", "89/QĐ-UBND", soon(60), "TV-2022-07", "tỉnh"],
        [3, "Kẹo dừa sáp", "Cty TNHH An Phú", "", "", "", "Bến Tre", "", "", 3, "",
         "", 2021, "", "UBND huyện Mỏ Cày Nam"],
        [4, "Kẹo dừa sầu riêng", "Công ty TNHH An Phú", "Công ty TNHH MTV", "", "",
         "Bến Tre", "", "", 4, 72, "", soon(400), "BT-4", "tỉnh"],
        [5, "Rượu đế Xuân Thạnh", "Hộ SXKD Nguyễn Văn Ba", "Hộ SXKD", "", "0987 654 321",
         "Vĩnh Long", "", "Rượu trắng", "3 sao", 60, "", "03/02/2025", "VL-3", ""],
        [6, "Tinh dầu bưởi", "", "", "", "", "TP. Cần Thơ", "", "", "4", 75, "",
         soon(500), "CT-9", "tỉnh"],
        [7, "Trà mãng cầu", "Cơ sở Hai Lúa", "", "", "", "Thành phố Cần Thơ", "", "", "5 sao",
         91, "", soon(700), "BNN-5", "Bộ Nông nghiệp và Môi trường"],
        [8, "Bánh pía", "CTCP Tân Huê Viên", "CTCP", "", "", "TP Cần Thơ", "", "", 4, 80,
         "", soon(300), "CT-10", "UBND TP Cần Thơ"],
    ]


def write_xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    """The rows as an .xlsx file under the given header."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


_PLACES = ("Tỉnh Trà Vinh", "Bến Tre", "Vĩnh Long", "TP Cần Thơ", "Thành phố Cần Thơ", "Sóc Trăng")
_KINDS = ("HTX Nông nghiệp", "Công ty TNHH", "Cty TNHH MTV", "Hộ SXKD", "Cơ sở", "CTCP")
_GOODS = ("Mắm tép “Ðặc sản”, loại 1", "Bánh tét lá cẩm – hộp 1kg", "Kẹo dừa, sữa", "Rượu đế",
          "Trà mãng cầu", "Bột sắn dây", "Chả cá thác lác", "Mật ong hoa tràm")


def many_rows(count: int, *, start: int = 0) -> list[list[Any]]:
    """`count` rows like a merged province's list: 3 products a producer on average, every
    quirk above, dates from 2019 to last month (some expired, some expiring soon)."""
    rows: list[list[Any]] = []
    for n in range(start, start + count):
        producer = n // 3
        stars = (3, 3, 3, 4, 4, 5)[n % 6]
        decided = date(2019, 1, 1) + timedelta(days=(n * 37) % 2500)
        authority = ("UBND tỉnh Trà Vinh", "tỉnh", "")[n % 3]
        if stars == 5:
            authority = "Bộ Nông nghiệp và Môi trường"
        elif stars == 3 and decided < date(2025, 7, 1) and n % 7 == 0:
            authority = "UBND huyện Cầu Kè"
        rows.append([
            n + 1, f"{_GOODS[n % len(_GOODS)]} số {n}",
            f"{_KINDS[producer % len(_KINDS)]} Số {producer}", "",
            "", f"09{10_000_000 + producer:08d}" if producer % 2 else "",
            _PLACES[producer % len(_PLACES)], f"Xã {producer % 40}", "", f"{stars} sao",
            60 + stars * 6, f"{n}/QĐ-UBND", decided.strftime("%d/%m/%Y") if n % 11 else
            decided.year, f"GCN-{n:05d}", authority,
        ])
    return rows
