"""`ocop-bot import results` with values real lists have: "UBND tỉnh Trà Vinh", Ð, old dates."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

from messages.text import fold
from tests.rating.test_results_import import HEADER, _run, _seed, _state, _xlsx


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def test_province_authority_as_signed_and_old_or_near_expiry_get_no_congratulation(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "ocop.db"
    ids = asyncio.run(_seed(db_path))
    today = date.today()
    old = today.replace(year=today.year - 4)  # expired a year ago
    near = (today + timedelta(days=45)).replace(year=today.year - 3)  # expires in ~45 days
    fresh = today - timedelta(days=10)
    sheet = _xlsx(tmp_path / "kq.xlsx", [
        [ids["Kẹo dừa"], "Kẹo dừa", 72, "1/QĐ-UBND", _dmy(old), "TV-1", "UBND tỉnh Trà Vinh"],
        [ids["Bánh tráng"], "Bánh tráng", 66, "2/QĐ-UBND", _dmy(near), "TV-2", "Tỉnh Trà Vinh"],
        [ids["Mật ong"], "Mật ong", 80, "3/QĐ-UBND", _dmy(fresh), "TV-3", "UBND tỉnh"],
    ], [*HEADER, "authority"])
    preview = _run(db_path, "import", "results", str(sheet), "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "expired on" in preview.output and "no congratulation" in preview.output
    result = _run(db_path, "import", "results", str(sheet), "--yes")
    assert result.exit_code == 0, result.output
    statuses, outbox = asyncio.run(_state(db_path))
    assert statuses[ids["Kẹo dừa"]] == "certified"
    texts = " ".join(row["payload"] for row in outbox)
    assert "Mật ong" in texts  # the fresh one is congratulated
    assert "Kẹo dừa" not in texts and "Bánh tráng" not in texts


def test_the_look_alike_d_folds_like_d() -> None:
    assert fold("Cờ Ðỏ") == fold("Cờ Đỏ") == "co do"
    assert fold("ðường") == fold("đường")
