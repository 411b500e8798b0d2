"""`ocop-bot import rounds|trainings` and `export enrolments`, run as real subprocesses."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from storage import open_database
from tests.cli.test_cli import _cli

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

ROUND_HEADER = ["Tên đợt", "Tỉnh", "Loại hồ sơ", "Mở đăng ký", "Hạn đăng ký", "Hạn nộp hồ sơ",
                "Hội đồng", "Kết quả", "Ghi chú"]
TRAINING_HEADER = ["Tên lớp", "Chủ đề", "Tỉnh", "Bắt đầu", "Kết thúc", "Địa điểm", "Link",
                   "Số chỗ", "Đối tượng", "Xã/nhóm", "Hạn đăng ký"]


def _sheet(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_rounds_previews_then_imports_valid_rows_and_lists_refused(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "ocop.db"
    file = _sheet(tmp_path / "rounds.xlsx", ROUND_HEADER, [
        ["Đợt I năm 2030", "Vĩnh Long", "tất cả", datetime(2030, 3, 1), datetime(2030, 3, 31),
         datetime(2030, 4, 30), datetime(2030, 5, 15, 8, 0), datetime(2030, 6, 1), "Nộp tại xã"],
        ["Đợt II năm 2030", "vinh long", "nâng hạng", "1/8/2030", "31/8/2030", "30/9/2030",
         "15/10/2030 8h", "1/11/2030", None],
        [None, None, None, None, None, None, None, None, None],
        ["Đợt cũ", "Atlantis", "x", "1/1/2020", "2/1/2020", "3/1/2020", "4/1/2020", "5/1/2020",
         None],
        ["Đợt I năm 2030", "Vĩnh Long", None, "1/3/2031", "2/3/2031", "3/3/2031", "4/3/2031",
         "5/3/2031", None],
    ])
    preview = _cli(db_path, "--lang", "en", "import", "rounds", str(file), "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert "5 rows read" not in preview.stdout and "4 rows read" in preview.stdout
    assert "2 can be imported" in preview.stdout
    assert "row 5 refused" in preview.stderr and "unknown province" in preview.stderr
    assert "in the past" in preview.stderr or "2020" in preview.stderr
    assert "row 6 refused" in preview.stderr and "already has a round" in preview.stderr
    assert "nothing was imported" in preview.stdout

    done = _cli(db_path, "--lang", "en", "import", "rounds", str(file), "--yes")
    assert done.returncode == 3  # done, with some rows refused
    assert "imported 2 rounds; 2 rows refused" in done.stdout

    async def check() -> None:
        async with open_database(db_path) as db, db.transaction() as store:
            rounds = await store.rounds.managed("VL", datetime(2029, 1, 1, tzinfo=UTC))
            audit = await store.audit.entries("round_imported")
        assert [r.name for r in rounds] == ["Đợt I năm 2030", "Đợt II năm 2030"]
        first, second = rounds
        assert first.council_at == datetime(2030, 5, 15, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
        assert first.registration_deadline == datetime(2030, 3, 31, 16, 59, tzinfo=UTC)
        assert second.kinds == ("upgrade",) and first.note == "Nộp tại xã"
        assert len(audit) == 2

    asyncio.run(check())
    again = _cli(db_path, "--lang", "en", "import", "rounds", str(file), "--yes")
    assert again.returncode == 1 and "already has a round" in again.stderr


def test_import_trainings_and_export_enrolments(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    file = _sheet(tmp_path / "trainings.xlsx", TRAINING_HEADER, [
        ["Câu chuyện sản phẩm", "story", "Vĩnh Long", "8h30 15/3/2030", "11h30 15/3/2030",
         "Hội trường xã", None, 40, "tỉnh", None, "12/3/2030"],
        ["Livestream bán hàng", "thương mại điện tử", "VL", datetime(2030, 4, 2, 14, 0),
         datetime(2030, 4, 2, 16, 0), None, "https://meet.example/ocop", "30", "xã", "Xã Tân Phú",
         datetime(2030, 4, 1)],
        ["Không chỗ", "story", "VL", "8h 1/5/2030", "7h 1/5/2030", None, "ftp://x", "không",
         "ai đó", None, "2/5/2030"],
    ])
    done = _cli(db_path, "--lang", "en", "import", "trainings", str(file), "--yes")
    assert "imported 2 trainings; 1 rows refused" in done.stdout, done.stderr
    assert "row 4 refused" in done.stderr and "capacity" in done.stderr
    assert "a place or an online link" in done.stderr

    async def enrol() -> int:
        now = datetime(2030, 1, 1, tzinfo=UTC)
        async with open_database(db_path) as db, db.transaction() as store:
            [first, second] = await store.trainings.managed("VL", now)
            assert first.starts_at == datetime(2030, 3, 15, 1, 30, tzinfo=UTC)
            assert second.audience == "commune" and second.online_url
            user = await store.users.seen("telegram", "7", "7", now)
            producer = await store.users.create_producer(
                {"name": "HTX Tân Phú", "entity_type": "cooperative",
                 "contact_person": "Nguyễn Thị Lan", "phone": "+84912345678",
                 "province_code": "VL", "commune": "Xã Tân Phú"}, now)
            await store.users.attach_producer(user.id, producer)
            assert (await store.trainings.enrol(first.id, user.id, now)).value == "enrolled"
            return first.id

    training_id = asyncio.run(enrol())
    out = tmp_path / "list.xlsx"
    exported = _cli(db_path, "--lang", "en", "export", "enrolments", str(training_id), str(out))
    assert exported.returncode == 0, exported.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Nguyễn Thị Lan", "HTX Tân Phú", "0912345678", "Xã Tân Phú", "Vĩnh Long",
                       "Đã đăng ký")
    missing = _cli(db_path, "--lang", "en", "export", "enrolments", "999",
                   str(tmp_path / "x.xlsx"))
    assert missing.returncode == 1 and "no training 999" in missing.stderr


def test_import_refuses_a_file_that_is_not_a_sheet(tmp_path: Path) -> None:
    bad = tmp_path / "rounds.xlsx"
    bad.write_text("not a spreadsheet")
    result = _cli(tmp_path / "ocop.db", "--lang", "en", "import", "rounds", str(bad), "--yes")
    assert result.returncode == 2 and "refused" in result.stderr
    headless = _sheet(tmp_path / "h.xlsx", ["Tên đợt", "Tỉnh"], [["Đợt I", "VL"]])
    result = _cli(tmp_path / "ocop.db", "--lang", "en", "import", "rounds", str(headless), "--yes")
    assert result.returncode == 2 and "missing columns" in result.stderr


def test_importing_the_same_trainings_again_creates_no_duplicates(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    row = ["Câu chuyện sản phẩm", "story", "Vĩnh Long", "8h30 15/3/2030", "11h30 15/3/2030",
           "Hội trường xã", None, 40, "tỉnh", None, "12/3/2030"]
    file = _sheet(tmp_path / "trainings.xlsx", TRAINING_HEADER, [row, row])
    done = _cli(db_path, "--lang", "en", "import", "trainings", str(file), "--yes")
    assert "imported 1 trainings; 1 rows refused" in done.stdout, done.stderr
    assert "row 3 refused" in done.stderr and "already" in done.stderr
    # after fixing another row
    again = _cli(db_path, "--lang", "en", "import", "trainings", str(file), "--yes")
    assert again.returncode == 1 and "row 2 refused" in again.stderr

    async def count() -> int:
        async with open_database(db_path) as db, db.transaction() as store:
            return len(await store.trainings.managed("VL", datetime(2030, 1, 1, tzinfo=UTC)))

    assert asyncio.run(count()) == 1
