"""docs/it-operations.md walked as written: the settings file from deploy/, read the way the
guide reads it (`set -a && . ocop-bot.env`), then first install, backup, restore and the
upgrade's `migrate`, each command's exit code and line checked. Paths under tmp_path stand
for /var/lib/ocop-bot and /var/backups/ocop-bot; no platform is called."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real `ocop-bot` processes, one per step of the guide

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "it-operations.md").read_text(encoding="utf-8")
OCOP_BOT = Path(sys.executable).with_name("ocop-bot")


def _step(home: Path, env_file: Path, command: str) -> subprocess.CompletedProcess[str]:
    """`cd HOME && set -a && . ENV && ocop-bot COMMAND`, as the guide runs it for user ocop."""
    script = f"cd '{home}' && set -a && . '{env_file}' && '{OCOP_BOT}' {command}"
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    return subprocess.run(["sh", "-c", script], env=clean, capture_output=True, text=True,
                          timeout=60, check=False)


def test_first_install_backup_restore_and_upgrade_as_the_guide_says(tmp_path: Path) -> None:
    home, backups = tmp_path / "var-lib-ocop-bot", tmp_path / "backups"
    home.mkdir()
    backups.mkdir()
    example = (ROOT / "deploy" / "ocop-bot.env.example").read_text(encoding="utf-8")
    env_file = tmp_path / "ocop-bot.env"
    env_file.write_text(example.replace("/var/lib/ocop-bot", str(home)), encoding="utf-8")
    database = home / "ocop.db"

    for command in ("--version", "check-config", "migrate", "backup", "restore",
                    "outbox status"):
        assert f"ocop-bot {command}" in GUIDE, command  # the guide shows each step

    checked = _step(home, env_file, "check-config")
    assert checked.returncode == 0, checked.stderr
    assert f"cơ sở dữ liệu: {database}" in checked.stdout and "kênh: telegram" in checked.stdout
    assert not database.exists()  # checking creates nothing

    missing = _step(home, env_file, "outbox status --json")
    assert missing.returncode == 1 and "--create" in missing.stderr  # never an empty one
    created = _step(home, env_file, "migrate")
    assert created.returncode == 0 and database.exists(), created.stderr
    admin = _step(home, env_file, "grant admin telegram:12345")
    assert admin.returncode == 0 and "quản trị viên" in admin.stdout, admin.stderr

    copy = backups / "ocop-2026-12-07.db"
    saved = _step(home, env_file, f"backup '{copy}'")
    assert saved.returncode == 0 and "1 tài khoản" in saved.stdout, saved.stderr
    revoked = _step(home, env_file, "revoke telegram:12345")  # a change the restore undoes
    assert revoked.returncode == 0 and _roles(database) == [], revoked.stderr

    restored = _step(home, env_file, f"restore '{copy}'")
    assert restored.returncode == 0 and "Đã khôi phục" in restored.stdout, restored.stderr
    kept = [p.name for p in home.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and kept[0] in restored.stdout
    assert _roles(database) == ["admin"]  # the admin is back
    status = _step(home, env_file, "outbox status --json")
    assert status.returncode == 0 and json.loads(status.stdout)["given_up"] == 0


def _roles(database: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(database)) as db:
        return [row[0] for row in db.execute("SELECT role FROM roles")]
