"""`ocop-bot import results` (xlsx and csv, good and bad files) and `export products`."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from bot.cli.main import app
from handlers.engine.config import HandlerConfig
from handlers.rating.rules import make_result, record
from storage import open_database
from storage.product_models import ProductStatus

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
HEADER = [
    "product_id",
    "product_name",
    "score",
    "decision_number",
    "decision_date",
    "certificate_number",
]


async def _seed(db_path: Path) -> dict[str, int]:
    """Two producers in Vĩnh Long (3 accepted products), one in Cần Thơ, one draft."""
    ids: dict[str, int] = {}
    async with open_database(db_path) as db, db.transaction() as store:
        for key, province, names in (
            ("a", "VL", ["Kẹo dừa", "Bánh tráng"]),
            ("b", "VL", ["Mật ong"]),
            ("c", "CT", ["Trà sen"]),
        ):
            user = await store.users.seen("telegram", f"9{len(ids)}", f"9{len(ids)}", NOW)
            producer = await store.users.create_producer(
                {
                    "name": f"HTX {key}",
                    "entity_type": "cooperative",
                    "contact_person": "Lan",
                    "phone": "+84912345678",
                    "province_code": province,
                    "commune": "Xã A",
                },
                NOW,
            )
            await store.users.attach_producer(user.id, producer)
            for name in names:
                pid = await store.products.create_draft(producer, NOW)
                await store.products.set_field(pid, "name", name, NOW)
                await store.products.set_field(pid, "group_code", "food", NOW)
                await store.products.set_status(pid, ProductStatus.ACCEPTED, NOW)
                ids[name] = pid
        draft = await store.products.create_draft(producer, NOW)
        ids["draft"] = draft
        old = await store.products.create_draft(producer, NOW)
        await store.products.set_status(old, ProductStatus.ACCEPTED, NOW)
        product = await store.products.get(old)
        assert product is not None
        result = await make_result(
            store,
            HandlerConfig(),
            product,
            75,
            decision_number="1/QĐ",
            decision_date=date(2025, 1, 2),
            certificate_number="USED-1",
        )
        await record(store, HandlerConfig(), result, "test", NOW)
    return ids


async def _state(db_path: Path) -> tuple[dict[int, str], list[dict[str, Any]]]:
    async with open_database(db_path) as db, db.transaction() as store:
        conn = store.outbox._db
        async with conn.execute("SELECT id, status FROM products") as cur:
            statuses = {row[0]: row[1] for row in await cur.fetchall()}
        async with conn.execute("SELECT * FROM outbox ORDER BY id") as cur:
            rows = [dict(row) for row in await cur.fetchall()]
    return statuses, rows


def _xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _run(db_path: Path, *args: str, lang: str = "en") -> Any:
    env = {"OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    return CliRunner().invoke(app, ["--create", "--lang", lang, *args], env=env)


def test_template_then_good_xlsx_applies_everything_with_one_notice_per_producer(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "ocop.db"
    ids = asyncio.run(_seed(db_path))
    template = tmp_path / "template.xlsx"
    written = _run(db_path, "import", "results", str(template), "--template")
    assert written.exit_code == 0, written.output
    sheet = load_workbook(template).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Mã hồ sơ" and len(header) == 7
    sheet.append(
        [ids["Kẹo dừa"], "Kẹo dừa", 72.5, "12/QĐ-UBND", datetime(2026, 11, 15), "OCOP-VL-001"]
    )
    sheet.append([ids["Bánh tráng"], "", 41, "", None, ""])  # not certified: no certificate
    sheet.append(
        [str(ids["Mật ong"]), "mat ong", "91", "12/QĐ-UBND", "15/11/2026", "OCOP-5", "Bộ"]
    )
    load = template.parent / "council.xlsx"
    sheet.parent.save(load)

    preview = _run(db_path, "import", "results", str(load), "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert (
        "4★ certificate OCOP-VL-001" in preview.output and "nothing was recorded" in preview.output
    )
    assert "5★ certificate OCOP-5" in preview.output  # "Bộ": the ministry's decision
    in_vietnamese = _run(db_path, "import", "results", str(load), "--dry-run", lang="vi")
    assert "4★, giấy chứng nhận OCOP-VL-001" in in_vietnamese.output
    assert "Chưa ghi gì." in in_vietnamese.output and "points" not in in_vietnamese.output
    statuses, outbox = asyncio.run(_state(db_path))
    assert statuses[ids["Kẹo dừa"]] == "accepted" and outbox == []

    applied = _run(db_path, "import", "results", str(load), "--yes")
    assert applied.exit_code == 0, applied.output
    assert "recorded 3 results; 2 producers notified" in applied.output
    statuses, outbox = asyncio.run(_state(db_path))
    assert statuses[ids["Kẹo dừa"]] == "certified"
    assert statuses[ids["Bánh tráng"]] == "not_certified"
    assert statuses[ids["Mật ong"]] == "certified"
    assert len(outbox) == 2 and all(row["urgent"] == 1 for row in outbox)
    first = json.loads(outbox[0]["payload"])["text"]
    assert "OCOP-VL-001" in first and "Bánh tráng" in first  # one notice with both results

    again = _run(db_path, "import", "results", str(load), "--yes")
    assert again.exit_code == 1  # already rated and numbers used: refused, nothing doubled
    assert len(asyncio.run(_state(db_path))[1]) == 2


def test_bad_xlsx_reports_every_refused_row_and_applies_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    ids = asyncio.run(_seed(db_path))
    load = _xlsx(
        tmp_path / "bad.xlsx",
        [
            [ids["Kẹo dừa"], "", 72, "12/QĐ", "15/11/2026", "OK-1"],  # row 2: fine
            ["abc", "", 72, "12/QĐ", "15/11/2026", "OK-2"],  # 3: wrong type
            [9999, "", 72, "12/QĐ", "15/11/2026", "OK-3"],  # 4: unknown
            [ids["Kẹo dừa"], "", 80, "12/QĐ", "15/11/2026", "OK-4"],  # 5: duplicate
            [ids["Bánh tráng"], "", 120, "12/QĐ", "15/11/2026", "OK-5"],  # 6: range
            [ids["Mật ong"], "", 80, "12/QĐ", "15/01/2027", "OK-6"],  # 7: future
            [ids["Trà sen"], "", 80, "12/QĐ", "15/11/2026", "used-1"],  # 8: number used
            [ids["draft"], "", 80, "12/QĐ", "hôm qua", ""],  # 9: several
            [ids["Trà sen"], "", 95, "12/QĐ", "15/11/2026", "OK-9", "huyện"],  # 10: who
        ],
        header=[*HEADER, "authority"],
    )
    result = _run(db_path, "import", "results", str(load), "--yes")
    assert result.exit_code == 1
    out = result.output
    assert "8 rows refused; nothing was recorded" in out
    for row, words in (
        (3, "not a number"),
        (4, "no product"),
        (5, "earlier row"),
        (6, "0 to 100"),
        (7, "future"),
        (8, "already used"),
        (9, "cannot be read"),
        (10, "must be"),
    ):
        line = next(
            line
            for line in out.splitlines()
            if line.strip().startswith(f"row {row}:") and "→" not in line
        )
        assert words in line, (row, line)
    assert "row 2:" not in out.split("refused")[1]
    assert "dossier code 9999" in out and "id 9999" not in out  # named as officers say it
    assert f"row 2: dossier code {ids['Kẹo dừa']} " in out and "#" not in out
    statuses, outbox = asyncio.run(_state(db_path))
    assert statuses[ids["Kẹo dừa"]] == "accepted" and outbox == []


def test_csv_with_semicolons_and_vietnamese_headers(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    ids = asyncio.run(_seed(db_path))
    load = tmp_path / "ketqua.csv"
    load.write_text(
        "Mã hồ sơ;Tên sản phẩm;Điểm;Số quyết định;Ngày quyết định;Số giấy chứng nhận\n"
        f"{ids['Trà sen']};Trà sen;65,5;7/QĐ-UBND;2026-11-20;CT-01\n",
        encoding="utf-8-sig",
    )
    result = _run(db_path, "import", "results", str(load), "--yes", "--province", "can tho")
    assert result.exit_code == 0, result.output
    statuses, outbox = asyncio.run(_state(db_path))
    assert statuses[ids["Trà sen"]] == "certified" and len(outbox) == 1


def test_files_refused_as_a_whole(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    ids = asyncio.run(_seed(db_path))
    missing = tmp_path / "missing.csv"
    missing.write_text(f"product_id,score\n{ids['Kẹo dừa']},70\n", encoding="utf-8")
    result = _run(db_path, "import", "results", str(missing), "--yes")
    assert result.exit_code == 2 and "missing columns: Decision number" in result.output
    other = tmp_path / "results.txt"
    other.write_text("x", encoding="utf-8")
    assert _run(db_path, "import", "results", str(other)).exit_code == 2
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert _run(db_path, "import", "results", str(broken)).exit_code == 2
    wrong = _xlsx(
        tmp_path / "province.xlsx", [[ids["Kẹo dừa"], "", 72, "1/QĐ", "15/11/2026", "X-1"]]
    )
    result = _run(db_path, "import", "results", str(wrong), "--yes", "--province", "can tho")
    assert result.exit_code == 1 and "another province" in result.output
    statuses, outbox = asyncio.run(_state(db_path))
    assert outbox == [] and statuses[ids["Kẹo dừa"]] == "accepted"


def test_export_products_of_a_province(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_seed(db_path))
    out = tmp_path / "vl.xlsx"
    result = _run(db_path, "export", "products", "--province", "Vĩnh Long", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Sản phẩm OCOP"
    column = {name: index for index, name in enumerate(rows[0])}
    assert {"Mã hồ sơ", "Tên sản phẩm", "Số sao", "Ngày hết hạn", "Số điện thoại"} <= set(column)
    names = {row[column["Tên sản phẩm"]] for row in rows[1:]}
    assert {"Kẹo dừa", "Bánh tráng", "Mật ong"} <= names and "Trà sen" not in names
    assert all(row[column["Số điện thoại"]] == "0912345678" for row in rows[1:])
    everything = tmp_path / "all.xlsx"
    assert _run(db_path, "export", "products", str(everything)).exit_code == 0
    sheet = load_workbook(everything).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 6
    assert any(  # the certified one, its expiry a date cell
        row[column["Số sao"]] == 4 and row[column["Ngày hết hạn"]] == datetime(2028, 1, 2)
        for row in rows[1:]
    )
    assert _run(db_path, "export", "products", str(tmp_path / "x.csv")).exit_code == 2
