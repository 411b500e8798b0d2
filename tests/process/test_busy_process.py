"""`ocop-bot run` while another program holds the database's write lock for a while."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fakes.telegram import FakeTelegram
from tests.process.test_process import WAIT, Bots, User, step_and_consent

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """The fake Bot API served from a background thread."""
    server = FakeTelegram()
    with server.running_in_thread():
        yield server


@pytest.fixture
def bots(fake: FakeTelegram, tmp_path: Path) -> Iterator[Bots]:
    """Bot processes, always killed at the end of the test."""
    started = Bots(fake, tmp_path)
    try:
        yield started
    finally:
        started.kill_all()


def poll(predicate: Callable[[], object], what: str, timeout: float = WAIT) -> None:
    """Check `predicate` every few milliseconds until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_an_update_waits_out_another_programs_lock_and_is_confirmed_only_once_handled(
    fake: FakeTelegram, bots: Bots
) -> None:
    bots.start(OCOP_DB_BUSY_BUDGET="60")
    lan = User(fake, 701)
    lan.say("/start")
    assert "l:vi" in lan.keys, bots.log()

    other = sqlite3.connect(bots.db_path, isolation_level=None)  # an sqlite3 shell, say
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE schema_version SET name = name")
    try:
        mark = len(fake.sent_to(701))
        data, message_id = lan.button("l:vi")
        pressed = fake.push_callback(701, data, message_id)
        poll(lambda: bots.log().count("database is busy") >= 1, "the bot to retry the update")
        # Still being handled: not confirmed to Telegram, no reply, no error.
        assert fake.confirmed_offset <= pressed
        assert all((c.params.get("offset") or 0) <= pressed for c in fake.calls("getUpdates"))
        assert fake.sent_to(701)[mark:] == []
        assert step_and_consent_readable(bots.db_path) == "onboarding.start"
    finally:
        other.execute("COMMIT")
        other.close()

    fake.wait_for_sync(lambda: fake.confirmed_offset > pressed, timeout=WAIT)
    lan.last = fake.sent_to(701)[mark:]
    assert "c:yes" in lan.keys, bots.log()  # the real answer: the consent question
    assert "bận" not in lan.text and "lỗi" not in lan.text
    assert fake.unanswered_callbacks() == []
    assert step_and_consent(bots.db_path, "701") == ("onboarding.consent", False)

    hoa = User(fake, 702)  # and everyone else goes on as usual
    hoa.say("/start")
    assert "l:vi" in hoa.keys, bots.log()


def step_and_consent_readable(db_path: Path) -> str:
    """User 701's conversation step, read without a write lock (another program holds it)."""
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(
            "SELECT c.step FROM conversations c JOIN users u ON u.id = c.user_id"
            " WHERE u.channel = 'telegram' AND u.external_id = '701'"
        ).fetchone()
    finally:
        conn.close()
    return str(row[0]) if row else ""
