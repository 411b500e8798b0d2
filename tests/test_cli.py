"""The `ocop-bot` command line, run as a real subprocess."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from storage import open_database


def _cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def _audit(db_path: Path) -> list[tuple[str, str | None]]:
    async with open_database(db_path) as db, db.transaction() as store:
        return [(e.action, e.subject) for e in await store.audit.entries()]


def test_grant_and_revoke_officer(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    granted = _cli(db_path, "grant", "officer", "telegram:12345", "--province", "vinh long")
    assert granted.returncode == 0, granted.stderr
    assert "officer of VL" in granted.stdout
    revoked = _cli(db_path, "revoke", "telegram:12345")
    assert revoked.returncode == 0 and "producer again" in revoked.stdout
    again = _cli(db_path, "revoke", "telegram:12345")
    assert again.returncode == 1
    actions = asyncio.run(_audit(db_path))
    assert ("grant_officer", "telegram:12345") in actions and (
        "revoke",
        "telegram:12345",
    ) in actions


def test_grant_refuses_bad_input(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    assert _cli(db_path, "grant", "officer", "12345", "--province", "Vĩnh Long").returncode != 0
    unknown = _cli(db_path, "grant", "officer", "telegram:1", "--province", "Atlantis")
    assert unknown.returncode != 0 and "province" in unknown.stderr


def test_terminal_chat_completes_onboarding(tmp_path: Path) -> None:
    answers = "1\n1\nHTX Tân Phú\n3\nNguyễn Thị Lan\n0912345678\nvinh long\nXã Tân Phú\n1\n"
    env = {**os.environ, "OCOP_DB_PATH": str(tmp_path / "ocop.db"), "OCOP_LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input=answers,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Hồ sơ của HTX Tân Phú đã được lưu" in done.stdout
    assert "1. 📝 Đăng ký sản phẩm" in done.stdout or "Đăng ký sản phẩm" in done.stdout
