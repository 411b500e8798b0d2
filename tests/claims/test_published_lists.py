"""`ocop-bot import certified` on lists as provinces publish them."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handlers.claims import headers, values
from messages import Renderer
from tests.claims.published import ANNEX_HEADER, STARS, annex_book, annex_rows, nfd
from tests.claims.test_import_certified import counts, run


@pytest.mark.parametrize("typed", STARS[:8])
def test_every_way_of_writing_three_stars_reads_three(typed: object) -> None:
    assert values.stars_of(typed) == 3


def test_drawn_stars_must_agree_and_a_list_of_years_is_refused() -> None:
    assert values.stars_of("3 sao (****)") is None and values.stars_of("**") is None
    assert values.decided_of("2021,2022,2023") == "several"
    assert values.decided_of("2023") == values.Decided(None, 2023)


@pytest.mark.parametrize("merged", [False, True])
def test_an_annex_under_a_title_block_on_its_second_sheet_imports_once(
    tmp_path: Path, merged: bool
) -> None:
    db_path = tmp_path / "ocop.db"
    sheet = annex_book(tmp_path / "phu-luc.xlsx", annex_rows(), merged=merged)
    first = run(db_path, "import", "certified", str(sheet), "--yes")
    assert first.exit_code == 0, first.output
    assert "trang “Phụ lục”, dòng tiêu đề 6" in first.output
    assert "“STT” (A), “Địa chỉ” (E)" in first.output  # named, not silently dropped
    assert "Bỏ qua 2 dòng" in first.output  # the group title and the total
    assert f"{len(STARS)} mới, 0 đã có" in first.output
    rows = asyncio.run(counts(db_path))["rows"]
    assert sorted(r["current_stars"] for r in rows) == sorted(
        values.stars_of(s) for s in STARS)
    assert {r["decision_number"] for r in rows} == {"100/QĐ-UBND", "101/QĐ-UBND", "102/QĐ-UBND"}
    again = run(db_path, "import", "certified", str(sheet), "--yes")
    assert again.exit_code == 0 and f"0 mới, {len(STARS)} đã có" in again.output, again.output
    assert len(asyncio.run(counts(db_path))["rows"]) == len(STARS)  # rows without producer too


def test_a_list_of_years_refuses_the_file_unless_skipping_and_the_fix_imports(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "ocop.db"
    rows = annex_rows()
    rows[2][7] = "2021,2022,2023"
    rows[5][6] = "hạng A"
    sheet = annex_book(tmp_path / "ds.xlsx", rows)
    refused = run(db_path, "import", "certified", str(sheet), "--yes")
    assert refused.exit_code == 1 and "2 dòng bị từ chối" in refused.output
    assert "ghi nhiều năm “2021,2022,2023”" in refused.output and "--skip-bad" in refused.output
    assert asyncio.run(counts(db_path))["rows"] == []  # all or none
    partial = run(db_path, "import", "certified", str(sheet), "--yes", "--skip-bad")
    assert partial.exit_code == 0, partial.output
    assert len(asyncio.run(counts(db_path))["rows"]) == len(rows) - 2
    out = tmp_path / "ds-tu-choi.xlsx"
    book = load_workbook(out)
    table = [list(r) for r in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert table[0] == [*ANNEX_HEADER, "Lý do"] and len(table) == 3
    assert "ghi nhiều năm" in table[1][-1] and "số sao “hạng A”" in table[2][-1]
    table[1][7], table[2][6] = 2023, "3 sao"
    fixed = annex_book(tmp_path / "sua.xlsx", [row[:-1] for row in table[1:]])
    again = run(db_path, "import", "certified", str(fixed), "--yes")
    assert again.exit_code == 0 and "2 mới, 0 đã có" in again.output, again.output
    assert len(asyncio.run(counts(db_path))["rows"]) == len(rows)


def test_an_unplaced_column_is_named_and_the_officer_maps_it(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    header = [*ANNEX_HEADER]
    header[6] = "Kết quả xếp loại"
    sheet = annex_book(tmp_path / "ds.xlsx", annex_rows(4), header=header)
    refused = run(db_path, "import", "certified", str(sheet), "--yes")
    assert refused.exit_code == 2 and "thiếu cột Số sao" in refused.output
    assert "“Kết quả xếp loại” (G)" in refused.output
    assert "--column “Kết quả xếp loại=stars”" in refused.output
    mapped = run(db_path, "import", "certified", str(sheet), "--yes",
                 "--column", "ket qua xep loai=Số sao")
    assert mapped.exit_code == 0 and "4 mới" in mapped.output, mapped.output
    by_letter = run(tmp_path.joinpath("b.db"), "import", "certified", str(sheet),
                    "--yes", "--column", "G=stars", "--column", "Loại hình=-")
    assert by_letter.exit_code == 0, by_letter.output
    assert "“Loại hình” (D)" in by_letter.output  # not read, as asked
    bad = run(db_path, "import", "certified", str(sheet), "--column", "G=sao vàng")
    assert bad.exit_code == 2 and "Không đọc được --column" in bad.output


def test_a_decision_number_with_its_date_gives_the_date(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    rows = annex_rows(2)
    rows[0][7], rows[0][8] = None, "1234/QĐ-UBND ngày 15/11/2023"
    sheet = annex_book(tmp_path / "ds.xlsx", rows)
    result = run(db_path, "import", "certified", str(sheet), "--yes")
    assert result.exit_code == 0, result.output
    [row] = [r for r in asyncio.run(counts(db_path))["rows"] if r["name"] == "Bánh tráng số 0"
             or r["name"] == nfd("Bánh tráng số 0")]
    assert (row["decision_number"], row["decision_date"]) == ("1234/QĐ-UBND", "2023-11-15")
    assert row["expires_on"] == "2026-11-15"


@pytest.mark.parametrize(("header", "key"), [
    ("TÊN SẢN PHẨM", "product_name"), ("ten san pham", "product_name"),
    ("Hạng sao", "stars"), ("hang sao", "stars"), ("Số sao (stars)", "stars"),
    ("Số QĐ", "decision_number"), ("so qd", "decision_number"),
    ("Năm công nhận", "decision_date"), ("Tên chủ thể", "producer_name"),
    ("SĐT", "phone"), ("Số điện thoại (nếu có)", "phone"), ("Tỉnh/TP", "province"),
    ("STT", None), ("Địa chỉ", None),
])
def test_headers_as_people_write_them(header: str, key: str | None) -> None:
    names = headers.header_names(Renderer())
    assert headers.place(header, names, {}) == key
    assert headers.place(nfd(header), names, {}) == key  # decomposed tone marks too


def test_rows_imported_before_rows_had_keys_are_recognised(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    sheet = annex_book(tmp_path / "ds.xlsx", annex_rows())
    assert run(db_path, "import", "certified", str(sheet), "--yes").exit_code == 0
    with sqlite3.connect(db_path) as conn:  # as an import of an earlier version left them
        conn.execute("UPDATE imported_products SET row_key = NULL")
    again = run(db_path, "import", "certified", str(sheet), "--yes")
    assert again.exit_code == 0 and f"0 mới, {len(STARS)} đã có" in again.output, again.output
