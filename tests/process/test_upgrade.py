"""`ocop-bot backup | restore | migrate` as real processes, beside a running bot."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from fakes.telegram import FakeTelegram
from storage.backup import check
from storage.hashing import digest
from storage.schema import migrations, schema_state
from tests.process.test_process import WAIT, Bots, User, bots, fake

pytestmark = pytest.mark.slow  # real bot processes

__all__ = ["bots", "fake"]  # the fixtures used by the tests below


def ocop(bots: Bots, *args: str) -> subprocess.CompletedProcess[str]:
    """One `ocop-bot` command to its end."""
    return subprocess.run([*bots.command(), *args], cwd=bots.tmp_path, env=bots.env(),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=WAIT, check=False)


def test_backup_while_the_bot_runs_then_restore_only_once_it_stopped(
    fake: FakeTelegram, bots: Bots
) -> None:
    proc = bots.start()
    User(fake, 801).say("/start")
    saved = bots.tmp_path / "backups" / "ocop-1.db"
    done = ocop(bots, "backup", str(saved))
    assert done.returncode == 0, done.stderr
    assert str(saved) in done.stdout and "1 tài khoản" in done.stdout
    User(fake, 802).say("/start")  # a second account after the backup

    refused = ocop(bots, "restore", str(saved))
    assert refused.returncode == 1 and "đang chạy" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(WAIT) == 0
    restored = ocop(bots, "restore", str(saved))
    assert restored.returncode == 0, restored.stderr
    assert "Đã khôi phục" in restored.stdout and "1 tài khoản" in restored.stdout
    assert check(bots.db_path).accounts == 1


def _old_database(path: Path, upto: int) -> None:
    """A database as an older version left it: the migrations up to `upto` applied."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("sha256_hex", 1, digest, deterministic=True)  # as the bot registers it
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))")
    for migration in migrations():
        if migration.version <= upto:
            conn.executescript(migration.sql)
            conn.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)",
                         (migration.version, migration.name))
    conn.close()


def test_an_old_database_is_refused_until_migrate_backs_it_up_and_upgrades(bots: Bots) -> None:
    before, last = (m.version for m in migrations()[-2:])
    _old_database(bots.db_path, before)
    for command in (("grant", "admin", "terminal:local"), ("run",), ("check-config",)):
        refused = ocop(bots, *command)
        assert refused.returncode == 1, refused.stderr
        assert "ocop-bot migrate" in refused.stderr and "Traceback" not in refused.stderr
    assert schema_state(bots.db_path).version == before  # nothing touched it

    done = ocop(bots, "migrate")
    assert done.returncode == 0, done.stderr
    kept = list(bots.tmp_path.glob(f"ocop.db.before-v{before}-*.bak"))
    assert len(kept) == 1 and check(kept[0]).version == before
    assert schema_state(bots.db_path).version == last
    assert ocop(bots, "grant", "admin", "terminal:local").returncode == 0
    assert "phiên bản mới nhất" in ocop(bots, "migrate").stdout
