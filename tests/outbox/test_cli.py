"""`ocop-bot outbox status` and `ocop-bot outbox retry [--failed]`, run as real subprocesses."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import open_database
from storage.outbox_models import OutboxMessage
from storage.timefmt import from_db
from tests.chat import Clock
from tests.cli.test_cli import _audit, _cli
from tests.outbox.support import ZONE, seed_producers

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

QUEUED = datetime(2026, 11, 28, 1, 30, tzinfo=UTC)  # 08:30 on 28/11/2026 in Vietnam


def prepare(db_path: Path) -> None:
    """Rows in every interesting state: waiting, retrying, sent, refused, expired."""

    async def run() -> None:
        clock = Clock(QUEUED)
        async with open_database(db_path) as db:
            users = await seed_producers(db, 6, clock())
            async with db.transaction() as store:
                for n, uid in enumerate(users):
                    user = await store.users.get(uid)
                    assert user is not None
                    await store.outbox.enqueue(OutboxMessage(
                        user_id=uid, channel="telegram", chat_id=user.chat_id, kind="notice",
                        payload={"text": f"tin {n}", "format": "html"},
                        dedupe_key=f"cert:{n}", not_before=QUEUED + timedelta(hours=n),
                    ), QUEUED + timedelta(hours=n))
                now = QUEUED + timedelta(days=1)
                await store.outbox.mark_sent(2, now, "77")
                await store.outbox.mark_failed(3, "Bad Request: chat not found", now)
                await store.outbox.mark_expired(4, "Bad Gateway", now)
                await store.outbox.mark_expired(5, "Bad Gateway", now)
                await store.outbox.mark_retry(6, now, "Bad Gateway", now)

    asyncio.run(run())


def states(db_path: Path) -> dict[str, int]:
    async def read() -> dict[str, int]:
        async with open_database(db_path) as db, db.transaction() as store:
            return {c.state: c.count for c in await store.outbox_health.state_counts()}

    return asyncio.run(read())


def test_status_counts_rows_by_state_and_shows_the_oldest_waiting(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    prepare(db_path)
    shown = _cli(db_path, "outbox", "status")
    assert shown.returncode == 3, shown.stderr  # done, with rows given up
    out = shown.stdout
    assert "Telegram" in out
    assert "chờ gửi: 1" in out and "đang thử lại: 1" in out and "đã gửi: 1" in out
    assert "không gửi được (kênh từ chối): 1" in out and "quá hạn: 2" in out
    assert "08:30 28/11/2026" in out  # the oldest waiting row, in Vietnam time
    assert "ngày" in out  # and how long it has waited
    as_json = json.loads(_cli(db_path, "outbox", "status", "--json").stdout)
    assert as_json["given_up"] == 3
    assert {"channel": "telegram", "state": "expired", "count": 2} in as_json["states"]


def test_retry_puts_expired_rows_back_once_and_failed_ones_only_when_asked(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "ocop.db"
    prepare(db_path)
    first = _cli(db_path, "outbox", "retry")
    assert first.returncode == 0, first.stderr
    assert "2 tin" in first.stdout
    assert states(db_path) == {"pending": 3, "retry": 1, "sent": 1, "failed": 1}
    again = _cli(db_path, "outbox", "retry")
    assert again.returncode == 0 and "Không có tin nào" in again.stdout
    with_failed = _cli(db_path, "outbox", "retry", "--failed")
    assert with_failed.returncode == 0 and "1 tin" in with_failed.stdout
    assert states(db_path) == {"pending": 4, "retry": 1, "sent": 1}
    actions = [action for action, _ in asyncio.run(_audit(db_path))]
    assert actions.count("outbox_retry") == 3


def test_status_of_an_empty_outbox_says_so(tmp_path: Path) -> None:
    shown = _cli(tmp_path / "ocop.db", "--create", "outbox", "status")
    assert shown.returncode == 0, shown.stderr
    assert "Không có tin nào đang chờ gửi" in shown.stdout


def prepare_zalo(db_path: Path, now: datetime) -> None:
    """A month's Zalo use with a pause, one person Zalo said is gone, one failing for days."""

    async def run() -> None:
        async with open_database(db_path) as db:
            gone, failing = await seed_producers(db, 2, now, channel="zalo")
            month = now.astimezone(ZONE).strftime("%Y-%m")
            async with db.transaction() as store:
                await store.channel_usage.add("zalo", month, 2140, now)
                await store.channel_usage.pause("zalo", month, now + timedelta(days=9), now)
                for n, (uid, when) in enumerate(((gone, now), (failing, now - timedelta(days=4)))):
                    await store.outbox.enqueue(OutboxMessage(
                        user_id=uid, channel="zalo", chat_id=str(1000 + n), kind="notice",
                        payload={"text": f"tin {n}", "format": "plain"},
                        dedupe_key=f"zalo:{n}", not_before=when,
                    ), when)
                await store.outbox.mark_dead(1, gone, "-201 User not found or unfollowed", now)
                await store.outbox.mark_retry(2, now, "403 Internal server error", now)
                await store.outbox.enqueue(OutboxMessage(
                    user_id=failing, channel="zalo", chat_id="1001", kind="announcement",
                    payload={"text": "thông báo", "format": "plain"},
                    dedupe_key="zalo:held", not_before=now,
                ), now)
                await store.outbox.hold(3, now + timedelta(days=9), "429 Quota exceeded", now)

    asyncio.run(run())


def test_status_shows_the_zalo_quota_and_who_cannot_be_reached_and_resume_lifts_the_pause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "ocop.db"
    now = datetime.now(UTC)
    prepare_zalo(db_path, now)
    monkeypatch.setenv("OCOP_ZALO_MONTHLY_QUOTA", "3000")
    shown = _cli(db_path, "outbox", "status")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    month = now.astimezone(ZONE).strftime("%m/%Y")
    assert f"Zalo: đã dùng 2.140 / 3.000 tin trong tháng {month}; Zalo báo đã hết hạn mức" in out
    gone = next(line for line in out.splitlines() if "HTX 0" in line)
    assert "User not found" in gone and "cho đến khi người này nhắn lại" in gone
    failing = next(line for line in out.splitlines() if "HTX 1" in line)
    assert "403 Internal server error" in failing and "vẫn đang thử lại" in failing
    resumed = _cli(db_path, "outbox", "resume")
    assert resumed.returncode == 0 and "Đã bỏ tạm dừng" in resumed.stdout
    assert "tạm dừng gửi đến" not in _cli(db_path, "outbox", "status").stdout

    async def held_due() -> bool:
        async with open_database(db_path) as db, db.reading() as store:
            row = await (await store.outbox._db.execute(
                "SELECT not_before FROM outbox WHERE dedupe_key = 'zalo:held'"
            )).fetchone()
        return row is not None and from_db(row[0]) <= datetime.now(UTC)

    assert asyncio.run(held_due())
