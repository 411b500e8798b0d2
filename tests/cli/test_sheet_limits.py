"""Imports refuse files too big for the machine (zip bombs included) with a polite answer."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from bot.cli.main import app
from bot.cli.sheet_read import MAX_FILE_BYTES, MAX_ROWS, MAX_UNPACKED_BYTES
from storage import open_database
from tests.cli.test_sheet_formulas import _seed_products
from tests.rounds.test_cli import ROUND_HEADER

RESULTS_HEADER = "product_id,product_name,score,decision_number,decision_date,certificate_number"


def _run(db_path: Path, *args: str) -> Any:
    env = {"OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    return CliRunner().invoke(app, ["--create", *args], env=env)


# Linux carries a process's peak memory across exec, and a child forked from pytest starts
# with pytest's own (hundreds of MB late in a run). A small launcher process forks the command
# instead and reports the peak of the command and its children alone.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _measured(db_path: Path, *args: str) -> tuple[int, str, float, float]:
    """Run the CLI as a subprocess: exit code, output, peak memory (MB) and seconds taken."""
    env = {**os.environ, "OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    peak = db_path.with_name(f"{db_path.name}.peak")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, str(peak), sys.executable, "-m", "bot", "--create",
         *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )
    seconds = time.perf_counter() - started
    return done.returncode, done.stdout, int(peak.read_text()) / 1024, seconds


def _zip_bomb(path: Path, header: list[str], unpacked: int) -> Path:
    """A real xlsx whose sheet1.xml is padded with whitespace up to `unpacked` bytes."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(header)
    sheet.append(["x"] * len(header))
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(
        path, "w", zipfile.ZIP_DEFLATED, compresslevel=9
    ) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with bomb.open(item.filename, "w", force_zip64=True) as member:
                member.write(head)
                chunk = b" " * (1 << 20)
                for _ in range(unpacked // len(chunk)):
                    member.write(chunk)
                member.write(b"</sheetData>" + tail)
    return path


async def _nothing_recorded(db_path: Path) -> None:
    async with open_database(db_path) as db, db.transaction() as store:
        conn = store.outbox._db
        async with conn.execute("SELECT COUNT(*) FROM outbox") as cur:
            assert (await cur.fetchone())[0] == 0
        async with conn.execute("SELECT COUNT(*) FROM rounds") as cur:
            assert (await cur.fetchone())[0] == 0


@pytest.mark.slow  # a real process
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_seed_products(db_path))
    bomb = _zip_bomb(tmp_path / "ketqua.xlsx", RESULTS_HEADER.split(","), 300 << 20)
    assert bomb.stat().st_size < 1 << 20  # under a megabyte on disk
    with zipfile.ZipFile(bomb) as archive:
        assert sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES
    code, output, peak_mb, seconds = _measured(db_path, "import", "results", str(bomb), "--yes")
    assert code == 2, output
    assert "giải nén" in output and "100 MB" in output
    assert "unpacks to more than 100 MB" in output
    assert seconds < 20 and peak_mb < 200, (seconds, peak_mb)
    rounds = _zip_bomb(tmp_path / "dot.xlsx", ROUND_HEADER, 300 << 20)
    result = _run(db_path, "import", "rounds", str(rounds), "--yes")
    assert result.exit_code == 2 and "giải nén" in result.output, result.output
    asyncio.run(_nothing_recorded(db_path))


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_seed_products(db_path))
    big = tmp_path / "ketqua.csv"
    line = "1,Kẹo dừa,70,1/QĐ,2026-11-20,X-1\n"
    with big.open("w", encoding="utf-8") as out:
        out.write(RESULTS_HEADER + "\n")
        out.write(line * (MAX_FILE_BYTES // len(line.encode()) + 1))
    result = _run(db_path, "import", "results", str(big), "--yes")
    assert result.exit_code == 2, result.output
    assert "quá lớn" in result.output and "10 MB" in result.output
    assert "is too large" in result.output
    padded = tmp_path / "dot.xlsx"
    padded.write_bytes(b"\0" * (MAX_FILE_BYTES + 1))
    result = _run(db_path, "import", "trainings", str(padded), "--yes")
    assert result.exit_code == 2 and "quá lớn" in result.output, result.output
    asyncio.run(_nothing_recorded(db_path))


def test_a_sheet_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_seed_products(db_path))
    long = tmp_path / "ketqua.csv"
    long.write_text(RESULTS_HEADER + "\n" + "1,,70,1/QĐ,2026-11-20,X-1\n" * (MAX_ROWS + 1),
                    encoding="utf-8")
    result = _run(db_path, "import", "results", str(long), "--yes")
    assert result.exit_code == 2, result.output
    assert "50.000 dòng" in result.output and "more than 50,000 rows" in result.output
    # A stray cell far down makes the reader walk every empty row before it.
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(ROUND_HEADER)
    sheet.cell(row=1_048_576, column=1, value="x")  # the last row Excel has
    book.save(tmp_path / "excel.xlsx")
    sparse = tmp_path / "dot.xlsx"  # and a row number no spreadsheet program would write
    with zipfile.ZipFile(tmp_path / "excel.xlsx") as source, zipfile.ZipFile(sparse, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename).replace(b"1048576", b"900000000")
            out.writestr(item, data)
    started = time.perf_counter()
    result = _run(db_path, "import", "rounds", str(sparse), "--yes")
    assert result.exit_code == 2 and "50.000 dòng" in result.output, result.output
    assert time.perf_counter() - started < 10
    asyncio.run(_nothing_recorded(db_path))


@pytest.mark.slow  # a real process
def test_a_wide_row_is_read_without_padding_every_column(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(ROUND_HEADER)
    for row in range(2, 2002):
        sheet.cell(row=row, column=16_384, value="x")  # column XFD, the last one
    wide = tmp_path / "dot.xlsx"
    book.save(wide)
    code, output, peak_mb, _ = _measured(tmp_path / "ocop.db", "import", "rounds", str(wide),
                                         "--dry-run")
    assert code == 1 and "Đã đọc 0 dòng" in output, output
    assert peak_mb < 200, peak_mb
