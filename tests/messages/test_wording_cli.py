"""The command line's messages keep to the glossary on a province of more than a thousand
products: counts with the thousands dot, words rather than codes, in Vietnamese by default;
the spreadsheets it writes (report, participants, refused rows) too; the product export is
checked in test_wording_surfaces."""

from __future__ import annotations

import asyncio
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli.main import app
from messages import Format
from storage import open_database
from tests.claims.rows import many_rows, write_xlsx
from tests.messages.test_wording import _offences
from tests.messages.test_wording_surfaces import _many, _sheet_offences
from tests.web.support import now


async def _crowd(path: Path) -> dict[str, int]:
    async with open_database(path) as db:
        return await _many(db)


def test_the_command_line_keeps_to_the_glossary_with_thousands(tmp_path: Path) -> None:
    path = tmp_path / "ocop.db"
    ids = asyncio.run(_crowd(path))
    rows = many_rows(1_050)
    rows[1_020][9] = "7 sao"  # rows refused: their reasons go to a spreadsheet of their own
    rows[1_030][12] = "2021,2022,2023"
    rows[1_040][5] = "12345"
    rows[1_045] = [*rows[1_044][:1], *rows[1_044][1:]]  # the same product twice
    listed = write_xlsx(tmp_path / "danh-sach.xlsx", rows)
    year = str(now().year)
    commands = {
        "broadcast report": ["broadcasts", "report", str(ids["broadcast"])],
        "broadcasts": ["broadcasts", "list"],
        "targets": ["target", "show", "--province", "VL", "--year", year],
        "report": ["report", "--province", "VL", "--year", year, str(tmp_path / "bc.xlsx")],
        "export": ["export", "products", str(tmp_path / "sp.xlsx"), "--province", "Vĩnh Long"],
        "enrolments": ["export", "enrolments", str(ids["training"]), str(tmp_path / "hv.xlsx")],
        "import": ["import", "certified", str(listed), "--dry-run", "--skip-bad"],
    }
    env = {"OCOP_DB_PATH": str(path), "OCOP_LOG_LEVEL": "WARNING"}
    said = {}
    for name, args in commands.items():
        result = CliRunner().invoke(app, args, env=env)
        assert result.exit_code in (0, 3), f"{name}: {result.output}"
        said[name] = result.output
    offences = {name: _offences("vi", text, Format.PLAIN) for name, text in said.items()}
    assert not {name: found for name, found in offences.items() if found}, said
    assert "tổng số tài khoản nhận: 1.05" in said["broadcast report"]
    assert "Chỉ tiêu của VL" in said["targets"] and ": 2.950 sản phẩm" in said["targets"]
    assert "1.04" in said["import"], said["import"]
    books = {name: load_workbook(tmp_path / name) for name in ("bc.xlsx", "hv.xlsx")}
    found = {name: _sheet_offences(book) for name, book in books.items()}
    refused = load_workbook(tmp_path / "danh-sach-tu-choi.xlsx").worksheets[0]
    reason = [c.column for c in refused[1] if c.value == "Lý do"]  # the rest is the list's own
    assert reason, [c.value for c in refused[1]]
    assert refused.max_row == 5, [r for r in refused.iter_rows(values_only=True)]  # header, 4
    found["refused"] = [o for row in refused.iter_rows(min_row=2, min_col=reason[0],
                                                         max_col=reason[0])
                        for c in row for o in _offences("vi", str(c.value), Format.PLAIN)]
    assert not {name: offences for name, offences in found.items() if offences}
