"""`ocop-bot run` on Zalo as a real process, into a quota that runs out mid-broadcast."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fakes.zalo import FakeZalo
from storage import open_database
from storage.outbox_models import OutboxMessage
from tests.channels.test_zalo_process import WAIT, Runs
from tests.outbox.support import seed_producers

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

PEOPLE = 8


@pytest.fixture
def fake() -> Iterator[FakeZalo]:
    """The fake Zalo API, served from a background thread, allowing 4 sends."""
    server = FakeZalo(poll_cap=1.0, quota=4)
    with server.in_thread():
        yield server


def _prepare(db_path: Path) -> None:
    """Producers on Zalo, an admin on Telegram, and an announcement queued for each."""

    async def run() -> None:
        now = datetime.now(UTC)
        async with open_database(db_path) as db:
            people = await seed_producers(db, PEOPLE, now, channel="zalo")
            async with db.transaction() as store:
                await store.users.seen("telegram", "999", "999", now)
                for n, uid in enumerate(people):
                    await store.outbox.enqueue(OutboxMessage(
                        user_id=uid, channel="zalo", chat_id=str(1000 + n),
                        kind="announcement", payload={"text": f"Tập huấn {n}", "format": "plain"},
                        dedupe_key=f"bc:1:{uid}", not_before=now,
                    ), now)

    asyncio.run(run())


def _read(db_path: Path) -> tuple[int, dict[str, int]]:
    """The admins' quota notices queued, and the Zalo rows per state."""

    async def run() -> tuple[int, dict[str, int]]:
        async with open_database(db_path) as db, db.reading() as store:
            telegram = await store.outbox.counts("telegram")
            return sum(telegram.values()), await store.outbox.counts("zalo")

    return asyncio.run(run())


def test_a_broadcast_pauses_on_429_tells_the_admin_once_and_resumes_by_itself(
    fake: FakeZalo, tmp_path: Path
) -> None:
    runs = Runs(fake, tmp_path)
    _prepare(runs.db_path)
    try:
        proc = runs.start(OCOP_ADMINS="telegram:999", OCOP_ZALO_QUOTA_PAUSE_HOURS="0.002",
                          OCOP_QUIET_START="00:00", OCOP_QUIET_END="00:00")
        fake.wait_sync(lambda: "zalo quota used up" in runs.log() or proc.poll() is not None,
                       WAIT)
        assert proc.poll() is None, runs.log()
        assert len(fake.delivered()) == 4
        told, zalo = _read(runs.db_path)
        assert told == 1 and zalo.get("sent") == 4, zalo
        fake.reset_quota()  # the plan renews (a 7 s pause stands in for the month)
        fake.quota = None
        fake.wait_sync(lambda: len(fake.delivered()) >= PEOPLE or proc.poll() is not None,
                       WAIT)
        assert proc.poll() is None, runs.log()
        fake.wait_sync(lambda: _read(runs.db_path)[1] == {"sent": PEOPLE}, WAIT)
    finally:
        runs.kill_all()
    delivered = fake.delivered()
    assert sorted(delivered) == sorted(f"Tập huấn {n}" for n in range(PEOPLE))  # once each
    assert _read(runs.db_path)[0] == 1  # the admin was told once
    assert runs.log().count("zalo quota used up") == 1
