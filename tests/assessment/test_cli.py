"""`ocop-bot criteria load|show|versions`, run as a real subprocess."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from storage import open_database
from tests.assessment.criteria_files import criteria_folder, small_files, write_small

pytestmark = pytest.mark.slow  # real processes: `make test-fast` skips them


def _cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "bot", "--create", *args], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


async def _versions(db_path: Path) -> list[tuple[str, int]]:
    async with open_database(db_path) as db, db.transaction() as store:
        return [(v.version, v.sets) for v in await store.criteria.versions()]


def test_load_then_show_a_set(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    loaded = _cli(db_path, "criteria", "load", str(criteria_folder(tmp_path)))
    assert loaded.returncode == 0, loaded.stderr
    assert "Đã tải bộ tiêu chí OCOP 26/2026" in loaded.stdout
    shown = _cli(db_path, "criteria", "show", "--set", "7")
    assert shown.returncode == 0, shown.stderr
    assert "PHẦN A:" in shown.stdout and "tối thiểu cho 4★" in shown.stdout
    listed = _cli(db_path, "criteria", "versions")
    assert listed.stdout.startswith("* 26/2026")
    missing = _cli(db_path, "criteria", "show", "--set", "99")
    assert missing.returncode == 1 and "bộ sản phẩm 99" in missing.stderr


def test_a_broken_file_is_refused_with_its_line_and_nothing_changes(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    good = write_small(tmp_path / "good")
    assert _cli(db_path, "criteria", "load", str(good)).returncode == 0
    files = small_files()
    name = "qd26-2026-options.csv"
    broken = tmp_path / "broken"
    broken.mkdir()
    for file, text in files.items():
        edited = text.replace("đến 100%,20,4", "đến 100%,20,7") if file == name else text
        (broken / file).write_text(edited, encoding="utf-8")
    refused = _cli(db_path, "criteria", "load", str(broken), "--version", "27/2027")
    assert refused.returncode == 1
    assert f"{name}:4: yêu cầu tối thiểu “7” sao" in refused.stderr
    assert asyncio.run(_versions(db_path)) == [("26/2026", 1)]


def test_a_zip_of_the_files_loads(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    archive = tmp_path / "tieuchi.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name, text in small_files((7, 8)).items():
            out.writestr(f"ocop-criteria-26-2026/{name}", text)
    loaded = _cli(db_path, "criteria", "load", str(archive))
    assert loaded.returncode == 0, loaded.stderr
    assert asyncio.run(_versions(db_path)) == [("26/2026", 2)]
