"""The `ocop-bot` command line, run as a real subprocess."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage import open_database

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them



def _cli(db_path: Path, *args: str, create: bool = True) -> subprocess.CompletedProcess[str]:
    """`ocop-bot ARGS` on `db_path` (created if missing, unless `create` is False)."""
    env = {**os.environ, "OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *(["--create"] if create else []), *args],
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
    granted = _cli(db_path, "--create", "grant", "officer", "telegram:12345",
                   "--province", "vinh long")
    assert granted.returncode == 0, granted.stderr
    assert "cán bộ VL" in granted.stdout
    assert f"Cơ sở dữ liệu: {db_path}" in granted.stderr  # which database, always said
    revoked = _cli(db_path, "revoke", "telegram:12345")
    assert revoked.returncode == 0 and "trở lại là chủ thể" in revoked.stdout
    again = _cli(db_path, "revoke", "telegram:12345")
    assert again.returncode == 1
    actions = asyncio.run(_audit(db_path))
    assert ("grant_officer", "telegram:12345") in actions and (
        "revoke",
        "telegram:12345",
    ) in actions


def test_grant_refuses_bad_input(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    assert _cli(db_path, "--create", "grant", "officer", "12345",
                "--province", "Vĩnh Long").returncode == 2
    unknown = _cli(db_path, "--create", "grant", "officer", "telegram:1",
                   "--province", "Atlantis")
    assert unknown.returncode == 2 and "Atlantis" in unknown.stderr


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
    assert "Thông tin chủ thể HTX Tân Phú đã được lưu" in done.stdout
    assert "1. 📝 Đăng ký sản phẩm" in done.stdout or "Đăng ký sản phẩm" in done.stdout
    assert done.stdout.endswith("> \n")  # the shell prompt is not glued to ours


def test_webhook_commands_without_any_token_say_so(tmp_path: Path) -> None:
    done = _cli(tmp_path / "ocop.db", "webhook", "info")
    assert done.returncode == 1 and "TELEGRAM_BOT_TOKEN" in done.stderr


def _ctrl_c_as_in_a_terminal() -> None:
    """Ctrl+C as a terminal delivers it. A suite started in the background (`make test &`)
    runs with SIGINT ignored, and its children inherit that: the chat would rightly ignore it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_ends_the_terminal_chat_while_it_waits_for_a_line(tmp_path: Path) -> None:
    env = {**os.environ, "OCOP_DB_PATH": str(tmp_path / "ocop.db"), "OCOP_LOG_LEVEL": "WARNING"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    out = tmp_path / "out.txt"
    with out.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "bot", "chat"], env=env,
                                stdin=subprocess.PIPE, stdout=sink, stderr=sink,
                                preexec_fn=_ctrl_c_as_in_a_terminal)
    try:
        deadline = time.monotonic() + 30
        while "> " not in out.read_text("utf-8"):  # waiting for the first answer
            assert time.monotonic() < deadline and proc.poll() is None, out.read_text("utf-8")
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0  # stdin is still open: no Enter needed
    finally:
        proc.kill()
        proc.wait(10)
        assert proc.stdin is not None
        proc.stdin.close()
    assert "Traceback" not in out.read_text("utf-8")


def test_a_province_matching_two_names_lists_them(tmp_path: Path) -> None:
    done = _cli(tmp_path / "ocop.db", "--create", "grant", "officer", "telegram:1",
                "--province", "long")
    flat = re.sub(r"[│\s]+", " ", done.stderr)  # the error box may wrap lines
    assert done.returncode == 2 and "Tây Ninh" in flat and "Vĩnh Long" in flat


def test_a_command_never_creates_a_database_unasked(tmp_path: Path) -> None:
    db_path = tmp_path / "elsewhere" / "ocop.db"
    done = _cli(db_path, "grant", "admin", "terminal:local", create=False)
    assert done.returncode == 1 and "--create" in done.stderr and str(db_path) in done.stderr
    assert not db_path.exists() and not db_path.parent.exists()


def test_the_quick_start_leaves_terminal_local_admin_and_officer(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    assert _cli(db_path, "--create", "grant", "admin", "terminal:local").returncode == 0
    both = _cli(db_path, "grant", "officer", "terminal:local", "--province", "vinh long")
    assert both.returncode == 0, both.stderr
    assert "quản trị viên, cán bộ VL" in both.stdout
    again = _cli(db_path, "grant", "admin", "terminal:local")  # the province stays too
    assert "quản trị viên, cán bộ VL" in again.stdout


def test_the_command_line_speaks_english_when_asked(tmp_path: Path) -> None:
    done = _cli(tmp_path / "ocop.db", "--lang", "en", "--create", "grant", "officer",
                "telegram:5", "--province", "Vĩnh Long")
    assert done.returncode == 0 and "officer of VL" in done.stdout
    helped = _cli(tmp_path / "ocop.db", "--lang", "en", "--help")
    assert "Exit codes" in re.sub(r"[│\s]+", " ", helped.stdout)
    assert "Mã thoát" in re.sub(r"[│\s]+", " ", _cli(tmp_path / "ocop.db", "--help").stdout)
    assert _cli(tmp_path / "ocop.db", "--version").stdout.startswith("Trợ lý OCOP ")
