"""The certified list on the console: upload, map a column, preview, confirm; all or none."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from storage import Database
from tests.claims.published import ANNEX_HEADER, annex_book, annex_rows
from tests.web.support import Seeded, console_server, csrf_of, seed, sign_in

KEY = re.compile(r'name="key" value="([^"]+)"')


def vinh_long_rows(count: int = 8) -> list[list[Any]]:
    """Annex rows of the Vĩnh Long officer's province (Trà Vinh and Bến Tre merged into it)."""
    rows = annex_rows(count)
    for row in rows:
        if "Thanh" in unicodedata.normalize("NFC", str(row[5])):
            row[5] = "Vĩnh Long"
    return rows


@pytest.fixture
async def officer(db: Database) -> AsyncIterator[tuple[httpx.AsyncClient, Seeded]]:
    """A Vĩnh Long officer signed in to the console."""
    seeded = await seed(db)
    async with console_server(db) as http:
        await sign_in(http, db, seeded.users["vl"])
        yield http, seeded


async def _upload(http: httpx.AsyncClient, path: Path, skip_bad: bool = False) -> str:
    page = await http.get("/web/certified")
    data = {"csrf": csrf_of(page.text), **({"skip_bad": "1"} if skip_bad else {})}
    answer = await http.post("/web/certified/upload", data=data, files={
        "file": (path.name, path.read_bytes(), "application/octet-stream")})
    assert answer.status_code == 200, answer.text
    return answer.text


def _key(html: str) -> str:
    found = KEY.search(html)
    assert found
    return found.group(1)


async def _products(db: Database) -> list[dict[str, Any]]:
    async with db.reading() as store:
        return await store.existing.export_rows("VL")


async def test_an_unplaced_column_is_mapped_then_previewed_and_confirmed(
    officer: tuple[httpx.AsyncClient, Seeded], db: Database, tmp_path: Path
) -> None:
    http, _ = officer
    header = [*ANNEX_HEADER]
    header[6] = "Kết quả xếp loại"
    before = len(await _products(db))
    mapping = await _upload(http, annex_book(tmp_path / "phu-luc.xlsx", vinh_long_rows(),
                                             header=header))
    assert "Phụ lục" in mapping and 'id="missing"' in mapping and "Kết quả xếp loại" in mapping
    form = {"csrf": csrf_of(mapping), "key": _key(mapping), "c_A": "", "c_B": "product_name",
            "c_C": "producer_name", "c_D": "", "c_E": "", "c_F": "province", "c_G": "stars",
            "c_H": "decision_date", "c_I": "decision_number"}  # D, "Loại hình": not used
    preview = await http.post("/web/certified/preview", data=form)
    assert preview.status_code == 200 and "8 mới, 0 đã có" in preview.text, preview.text
    assert "“Loại hình” (D)" in preview.text  # named among the columns not used
    assert len(await _products(db)) == before  # a dry run
    done = await http.post("/web/certified/confirm", data={"csrf": form["csrf"],
                                                           "key": _key(preview.text)})
    assert done.status_code == 200 and "Đã ghi 8 sản phẩm" in done.text
    assert len(await _products(db)) == before + 8
    again = await http.post("/web/certified/confirm", data={"csrf": form["csrf"],
                                                            "key": _key(preview.text)})
    assert again.status_code == 410  # one upload is recorded once


async def test_refused_rows_stop_everything_unless_only_the_valid_ones_are_asked(
    officer: tuple[httpx.AsyncClient, Seeded], db: Database, tmp_path: Path
) -> None:
    http, _ = officer
    rows = vinh_long_rows()
    rows[1][7] = "2021,2022,2023"
    before = len(await _products(db))
    mapping = await _upload(http, annex_book(tmp_path / "ds.xlsx", rows))
    form = {"csrf": csrf_of(mapping), "key": _key(mapping)}
    preview = await http.post("/web/certified/preview", data=form)
    assert "1 dòng bị từ chối; chưa ghi gì" in preview.text and 'id="confirm"' not in preview.text
    preview = await http.post("/web/certified/preview", data={**form, "skip_bad": "1"})
    assert 'id="confirm"' in preview.text and "ghi nhiều năm" in preview.text
    refused = await http.get(f"/web/certified/refused/{form['key']}.xlsx")
    sheet = load_workbook(io.BytesIO(refused.content)).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][-1] == "Lý do" and table[1][7] == "2021,2022,2023"
    done = await http.post("/web/certified/confirm", data=form)
    assert "Đã ghi 7 sản phẩm" in done.text and "1 dòng bị từ chối" in done.text
    assert len(await _products(db)) == before + 7


async def test_a_file_that_is_not_a_list_is_refused_politely(
    officer: tuple[httpx.AsyncClient, Seeded], tmp_path: Path
) -> None:
    http, _ = officer
    page = await http.get("/web/certified")
    answer = await http.post("/web/certified/upload", data={"csrf": csrf_of(page.text)},
                             files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")})
    assert answer.status_code == 400 and ".xlsx" in answer.text


async def test_a_csv_with_a_huge_cell_is_refused_politely(
    officer: tuple[httpx.AsyncClient, Seeded],
) -> None:
    http, _ = officer
    page = await http.get("/web/certified")
    huge = "Tên sản phẩm,Số sao\n" + '"' + "x" * 200_000 + '",3\n'
    answer = await http.post("/web/certified/upload", data={"csrf": csrf_of(page.text)},
                             files={"file": ("ds.csv", huge.encode(), "text/csv")})
    assert answer.status_code == 400 and "Không đọc được tệp" in answer.text, answer.text


async def test_an_admin_names_the_province_of_a_list_without_one(
    db: Database, tmp_path: Path
) -> None:
    seeded = await seed(db)
    sheet = tmp_path / "ds.csv"
    sheet.write_text("Tên sản phẩm;Hạng sao;Tên chủ thể\nMắm tép;3 sao;HTX A\nBánh pía;***;\n",
                     encoding="utf-8")
    async with console_server(db) as http:
        await sign_in(http, db, seeded.users["admin"])
        page = await http.get("/web/certified")
        assert 'id="province"' in page.text
        mapping = await http.post(
            "/web/certified/upload", data={"csrf": csrf_of(page.text), "province": "Trà Vinh"},
            files={"file": (sheet.name, sheet.read_bytes(), "text/csv")})
        form = {"csrf": csrf_of(mapping.text), "key": _key(mapping.text)}
        preview = await http.post("/web/certified/preview", data=form)
        assert "2 mới, 0 đã có" in preview.text, preview.text
        done = await http.post("/web/certified/confirm", data=form)
        assert "Đã ghi 2 sản phẩm" in done.text
    async with db.reading() as store:
        assert {r["name"] for r in await store.existing.export_rows("VL")} >= {"Mắm tép",
                                                                             "Bánh pía"}
