"""The OCOP product code `(T)-(X)-(STT)-năm`: its shape is checked; officers type it in chat
(`/masanpham`); the product shows it; the certified import takes it as an optional column and
the spreadsheet exports it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from openpyxl import load_workbook

from handlers.common.product_code import read_product_code
from storage import Database, open_database
from tests.chat import ChatFor, Clock
from tests.claims.rows import HEADER, real_rows, write_xlsx
from tests.claims.test_import_certified import run
from tests.products.steps import register
from tests.rating.support import certify
from tests.rounds import support


def test_the_shape_is_checked() -> None:
    assert read_product_code("86-29254-001-2026", 2026) == "86-29254-001-2026"
    assert read_product_code(" 86 – 29254 – 001 – 2025 ", 2026) == "86-29254-001-2025"
    assert read_product_code("(86)-(29254)-(12)-2024", 2026) == "86-29254-12-2024"
    for bad in ("86-2925-001-2026", "VL-29254-001-2026", "86-29254-001-26",
                "86-29254-00001-2026", "86-29254-001-2031", "86-29254-001-2017", ""):
        assert read_product_code(bad, 2026) is None, bad


async def _certified(db: Database, chat_for: ChatFor, clock: Clock, name: str,
                     number: str) -> int:
    pid = await register(chat_for("401"), name)
    await certify(db, pid, clock(), number)
    return pid


async def test_an_officer_types_the_code_in_chat_and_the_producer_sees_it(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    await chat_for("401").onboard()
    first = await _certified(db, chat_for, clock, "Kẹo dừa sáp", "VL-12")
    await _certified(db, chat_for, clock, "Mứt dừa", "VL-13")
    off = await support.officer(db, chat_for)
    await off.say("/masanpham")
    await off.say("VL-12")
    assert "product_code/ask_code" in off.templates
    await off.say("86-2925-1-2026")
    assert "product_code/bad" in off.templates and "không đúng dạng" in off.text
    await off.say("86 - 29254 - 001 - 2026")
    assert "product_code/saved" in off.templates and "86-29254-001-2026" in off.text
    await off.say("/masanpham")
    await off.say("VL-13")
    await off.say("86-29254-001-2026")
    assert "product_code/used" in off.templates  # one product per code
    async with db.reading() as store:
        product = await store.products.get(first)
        [entry] = [e for e in await store.audit.entries() if e.action == "product_code_set"]
    assert product is not None and product.product_code == "86-29254-001-2026"
    assert entry.subject == f"product:{first}"
    lan = chat_for("401")
    await lan.say("/sanpham")
    await lan.say("Kẹo dừa sáp")
    assert "Mã sản phẩm OCOP: 86-29254-001-2026" in lan.text
    await lan.press("v:cert")
    assert "86-29254-001-2026" in lan.text


def test_the_certified_import_reads_checks_and_exports_the_code(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    rows = real_rows()
    header = [*HEADER, "Mã sản phẩm OCOP"]
    bad = [[*row, ""] for row in rows]
    bad[0][-1] = "TV-001"
    result = run(db_path, "import", "certified", str(write_xlsx(tmp_path / "bad.xlsx", bad,
                                                                header)), "--yes")
    assert result.exit_code != 0 and "không đúng dạng (T)-(X)-(STT)-năm" in result.output
    good = [[*row, ""] for row in rows]
    good[0][-1] = "84-29254-001-2020"
    result = run(db_path, "import", "certified", str(write_xlsx(tmp_path / "good.xlsx", good,
                                                                header)), "--yes")
    assert result.exit_code == 0, result.output

    async def codes() -> dict[str, str | None]:
        async with open_database(db_path) as db, db.reading() as store:
            return {r["name"]: r["product_code"] for r in await store.existing.export_rows(None)}

    found = asyncio.run(codes())
    assert found["Mắm tép “Bà Ba”, loại đặc biệt"] == "84-29254-001-2020"
    assert sum(1 for code in found.values() if code) == 1
    out = tmp_path / "sp.xlsx"
    assert run(db_path, "export", "products", str(out)).exit_code == 0
    sheet = list(load_workbook(out).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    column = sheet[0].index("Mã sản phẩm OCOP")
    assert "84-29254-001-2020" in [row[column] for row in sheet[1:]]
