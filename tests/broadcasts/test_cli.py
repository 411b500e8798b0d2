"""`ocop-bot broadcasts report ID --csv FILE`, run as a real subprocess."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.outbox.transport import SendResult, SendStatus
from storage import Database
from tests.chat import ChatFor, Clock
from tests.outbox.support import (
    RecordingTransport,
    VirtualTime,
    drain,
    make_officer,
    make_sender,
    policy,
    seed_producers,
)

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them


async def test_report_prints_counts_and_exports_every_recipient(
    tmp_path: Path, db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    await seed_producers(db, 5, clock())
    await make_officer(db, clock(), "555", "VL")
    officer = chat_for("555")
    for step in ("/canbo", "o:bc", "Lịch tập huấn 12/12", "a:ok", "c:now", "c:go"):
        await (officer.press(step) if ":" in step else officer.say(step))
    vt = VirtualTime(clock)

    def script(chat: str, attempt: int) -> SendResult | None:
        return SendResult(SendStatus.BLOCKED, error="Forbidden") if chat == "1002" else None

    await drain(make_sender(db, RecordingTransport(vt.monotonic, script), vt, policy()), vt)

    out = tmp_path / "report.csv"
    env = {**os.environ, "OCOP_DB_PATH": str(tmp_path / "ocop.db"), "OCOP_LOG_LEVEL": "WARNING"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "broadcasts", "report", "1", "--csv", str(out)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "  đã đến người nhận: 4" in done.stdout and "  đã chặn Trợ lý OCOP: 1" in done.stdout
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5
    assert sorted(r["outcome"] for r in rows) == ["blocked", *["delivered"] * 4]
    assert {r["producer"] for r in rows} == {f"HTX {n}" for n in range(5)}
    missing = subprocess.run(
        [sys.executable, "-m", "bot", "broadcasts", "report", "99"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert missing.returncode == 1
    listed = subprocess.run(
        [sys.executable, "-m", "bot", "broadcasts", "list", "--province", "Vĩnh Long"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert listed.returncode == 0 and listed.stdout.startswith("Thông báo số 1 — "), listed.stderr
    wrong = subprocess.run(
        [sys.executable, "-m", "bot", "broadcasts", "report", "1",
         "--csv", str(tmp_path / "r.xls")],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert wrong.returncode == 2 and ".csv" in wrong.stderr
