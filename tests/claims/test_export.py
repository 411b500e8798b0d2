"""`ocop-bot export products`: the spreadsheet officers use, in Vietnamese, with real dates."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from storage import open_database
from tests.claims.rows import real_rows, write_xlsx
from tests.claims.test_import_certified import run

NOW = datetime(2026, 12, 1, tzinfo=UTC)


async def _claim_first(db_path: Path) -> None:
    """Give HTX Cờ Ðỏ an account, as a claim does."""
    async with open_database(db_path) as db, db.transaction() as store:
        [candidate] = [c for c in await store.existing.unclaimed() if "Cờ" in c.name]
        user = await store.users.seen("telegram", "5", "5", NOW)
        producer = await store.users.create_producer(
            {"name": "HTX Cờ Đỏ", "entity_type": "cooperative", "contact_person": "Sơn",
             "phone": candidate.phone, "province_code": "VL", "commune": "Xã Cầu Kè"},
            NOW,
        )
        await store.users.attach_producer(user.id, producer)
        await store.claiming.claim(candidate.producer_id, user.id, "contact",
                                   NOW)


def test_export_in_vietnamese_with_date_cells_sorted_and_filtered(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    assert run(db_path, "import", "certified", str(write_xlsx(tmp_path / "ds.xlsx",
                                                             real_rows())), "--yes").exit_code == 0
    asyncio.run(_claim_first(db_path))
    out = tmp_path / "sp.xlsx"
    result = run(db_path, "export", "products", str(out))
    assert result.exit_code == 0, result.output
    assert "Đã ghi 8 sản phẩm" in result.output
    book = load_workbook(out)
    sheet = book["Sản phẩm OCOP"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:W9"
    rows = list(sheet.iter_rows(values_only=True))
    column = {name: index for index, name in enumerate(rows[0])}
    assert {"Tỉnh/thành", "Tỉnh cũ", "Số giấy chứng nhận", "Cấp công nhận",
            "Ngày hết hạn", "Đã dùng Trợ lý OCOP"} <= set(column)
    provinces = [row[column["Tỉnh/thành"]] for row in rows[1:]]
    assert provinces == sorted(provinces, key=lambda p: p != "Cần Thơ")  # Cần Thơ, Vĩnh Long
    by_name = {row[column["Tên sản phẩm"]]: row for row in rows[1:]}
    mam = by_name["Mắm tép “Bà Ba”, loại đặc biệt"]
    assert mam[column["Ngày quyết định"]] == datetime(2020, 11, 15)
    assert mam[column["Ngày hết hạn"]] == datetime(2023, 11, 15)
    assert mam[column["Tình trạng giấy chứng nhận"]] == "Hết hạn ngày 15/11/2023"
    assert mam[column["Trạng thái hồ sơ"]] == "Hết hạn ngày 15/11/2023"  # never "Được công nhận"
    assert mam[column["Tỉnh cũ"]] == "Trà Vinh" and mam[column["Tỉnh/thành"]] == "Vĩnh Long"
    assert mam[column["Cấp công nhận"]] == "UBND tỉnh Trà Vinh"
    assert mam[column["Đã dùng Trợ lý OCOP"]] == "Có"
    assert by_name["Kẹo dừa sáp"][column["Ngày quyết định"]] == "2021"  # a year alone
    assert by_name["Kẹo dừa sáp"][column["Đã dùng Trợ lý OCOP"]] == "Chưa"
    cell = sheet.cell(row=2, column=column["Ngày hết hạn"] + 1)
    assert cell.number_format == "DD/MM/YYYY"
    former = tmp_path / "tv.xlsx"
    result = run(db_path, "export", "products", "--province", "Trà Vinh", str(former))
    assert result.exit_code == 0 and "tỉnh cũ Trà Vinh (nay thuộc Vĩnh Long)" in result.output
    rows = list(load_workbook(former).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert len(rows) == 1 + 2
