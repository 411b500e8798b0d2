"""`ocop-bot import certified`: real-shaped lists, all or nothing, twice, duplicates, expiry."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from bot.cli.main import app
from storage import open_database
from tests.claims.rows import HEADER, real_rows, write_xlsx


def run(db_path: Path, *args: str) -> Any:
    """Run the CLI on this database."""
    env = {"OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    return CliRunner().invoke(app, ["--create", *args], env=env)


async def counts(db_path: Path) -> dict[str, Any]:
    """What the database holds after an import."""
    async with open_database(db_path) as db, db.reading() as store:
        unclaimed = await store.existing.unclaimed()
        rows = await store.existing.export_rows(None)
        outbox = await store.outbox.pending_count() if hasattr(store.outbox, "pending_count") \
            else None
    return {"unclaimed": unclaimed, "rows": rows, "outbox": outbox}


def test_dry_run_previews_and_records_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    sheet = write_xlsx(tmp_path / "ds.xlsx", real_rows())
    result = run(db_path, "import", "certified", str(sheet), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "8 mới, 0 đã có" in result.output
    # Cờ Ðỏ's two rows share a phone; An Phú's two spellings stay apart
    assert "Chủ thể: 7 mới" in result.output
    assert "1 đã hết hạn, 1 hết hạn trong 90 ngày tới, 1 chưa rõ ngày hết hạn" in result.output
    assert "dòng 2 (lưu ý): giấy chứng nhận đã hết hạn từ 15/11/2023" in result.output
    assert "Cty TNHH An Phú / Công ty TNHH An Phú" in result.output
    assert "Chạy thử" in result.output
    assert asyncio.run(counts(db_path))["rows"] == []


def test_import_twice_creates_once_and_keeps_the_list_as_written(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    sheet = write_xlsx(tmp_path / "ds.xlsx", real_rows())
    first = run(db_path, "import", "certified", str(sheet), "--yes")
    assert first.exit_code == 0, first.output
    second = run(db_path, "import", "certified", str(sheet), "--yes")
    assert second.exit_code == 0, second.output
    assert "0 mới, 8 đã có" in second.output
    state = asyncio.run(counts(db_path))
    rows = {row["name"]: row for row in state["rows"]}
    assert len(rows) == 8
    assert "Mắm tép “Bà Ba”, loại đặc biệt" in rows  # byte for byte
    assert rows["Mắm tép “Bà Ba”, loại đặc biệt"]["former_province"] == "Trà Vinh"
    assert rows["Mắm tép “Bà Ba”, loại đặc biệt"]["province_code"] == "VL"
    assert rows["Tinh dầu bưởi"]["province_code"] == "CT"
    assert rows["Kẹo dừa sáp"]["authority"] == "district"
    assert rows["Kẹo dừa sáp"]["expires_on"] is None
    assert rows["Kẹo dừa sáp"]["decision_year"] == 2021
    assert rows["Rượu đế Xuân Thạnh"]["set_code"] is not None
    assert rows["Bánh pía"]["entity_type"] == "enterprise"
    assert rows["Trà mãng cầu"]["entity_type"] == "household"
    assert rows["Trà mãng cầu"]["authority"] == "ministry"
    assert all(not row["claimed"] for row in rows.values())
    assert len(state["unclaimed"]) == 7


def test_a_bad_row_refuses_the_whole_file_with_reasons(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    rows = real_rows()
    rows[1][9] = "6 sao"
    rows[3][14] = "UBND huyện Châu Thành"  # a district never certified 4 stars
    rows[4][5] = "12345"
    rows.append([9, "Bánh pía", "CTCP Tân Huê Viên", "", "", "", "Cần Thơ", "", "", 4, "",
                 "", "", "CT-10", ""])
    sheet = write_xlsx(tmp_path / "ds.xlsx", rows)
    result = run(db_path, "import", "certified", str(sheet), "--yes")
    assert result.exit_code == 1
    assert "dòng 3: số sao “6 sao” không đọc được" in result.output
    assert "dòng 5: cấp huyện chỉ công nhận sản phẩm 3 sao" in result.output
    assert "dòng 6: số điện thoại “12345”" in result.output
    assert "dòng 10: trùng với dòng 9" in result.output
    assert asyncio.run(counts(db_path))["rows"] == []
    english = run(db_path, "import", "certified", str(sheet), "--dry-run", "--lang", "en")
    assert english.exit_code == 1 and "row 3: stars “6 sao” cannot be read" in english.output


def test_province_option_and_template(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    template = tmp_path / "mau.xlsx"
    assert run(db_path, "import", "certified", str(template), "--template").exit_code == 0
    result = run(db_path, "import", "certified", str(template), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1 mới, 0 đã có" in result.output
    no_province = write_xlsx(tmp_path / "x.xlsx", [["Bánh", 3]], ["Tên sản phẩm", "Số sao"])
    refused = run(db_path, "import", "certified", str(no_province), "--yes")
    assert refused.exit_code == 2 and "Tỉnh/thành" in refused.output
    ok = run(db_path, "import", "certified", str(no_province), "--yes", "--province",
             "Tỉnh Vĩnh Long")
    assert ok.exit_code == 0, ok.output
    assert HEADER[1] == "Tên sản phẩm"


async def _claim(db_path: Path, name: str) -> None:
    """Give an imported producer to a chat account, as a verified claim does."""
    from datetime import UTC, datetime

    now = datetime(2026, 12, 1, tzinfo=UTC)
    async with open_database(db_path) as db, db.transaction() as store:
        [candidate] = [c for c in await store.existing.unclaimed() if c.name == name]
        user = await store.users.seen("zalo", "z9", "z9", now)
        producer = await store.users.create_producer(
            {"name": "An Phú", "entity_type": "enterprise", "contact_person": "Phú",
             "phone": "+84987000111", "province_code": "VL", "commune": "Xã A"}, now)
        await store.users.attach_producer(user.id, producer)
        await store.claiming.claim(candidate.producer_id, user.id, "code", now)


def test_reimport_after_a_claim_creates_nothing_again(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    sheet = write_xlsx(tmp_path / "ds.xlsx", real_rows())
    assert run(db_path, "import", "certified", str(sheet), "--yes").exit_code == 0
    asyncio.run(_claim(db_path, "Cty TNHH An Phú"))  # its product has no certificate number
    again = run(db_path, "import", "certified", str(sheet), "--yes")
    assert again.exit_code == 0 and "0 mới, 8 đã có" in again.output, again.output


def test_imported_producers_count_in_their_former_province(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    sheet = write_xlsx(tmp_path / "ds.xlsx", real_rows())
    assert run(db_path, "import", "certified", str(sheet), "--yes").exit_code == 0

    async def formers() -> list[str]:
        async with open_database(db_path) as db, db.reading() as store:
            return await store.figures.formers("VL")

    assert "Trà Vinh" in asyncio.run(formers())
