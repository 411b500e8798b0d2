"""One bot per database: a second `ocop-bot run` refuses to start and resends nothing."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fakes.telegram import FakeTelegram
from storage import open_database
from storage.outbox_models import OutboxMessage
from tests.cli.test_cli import _cli
from tests.outbox.support import seed_producers
from tests.process import test_process
from tests.process.test_process import WAIT, Bots

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

CHATS = [str(1000 + n) for n in range(5)]
REFUSAL = "Trợ lý OCOP đang chạy với cơ sở dữ liệu này"
NO_QUIET = {"OCOP_QUIET_START": "00:00", "OCOP_QUIET_END": "00:00"}

fake = test_process.fake  # the fixtures of the onboarding process test, shared
bots = test_process.bots


def queue_notices(db_path: Path, tag: str, seed: bool) -> None:
    """One certification notice to each of five producers (chats 1000–1004)."""

    async def run() -> None:
        now = datetime.now(UTC)
        async with open_database(db_path) as db:
            if seed:
                await seed_producers(db, len(CHATS), now)
            async with db.transaction() as store:
                for chat in CHATS:
                    user = await store.users.find("telegram", chat)
                    assert user is not None
                    await store.outbox.enqueue(OutboxMessage(
                        user_id=user.id, channel="telegram", chat_id=chat, kind="notice",
                        payload={"text": f"{tag} {chat}", "format": "plain"},
                        dedupe_key=f"cert:{tag}:{chat}", not_before=now, urgent=True,
                    ), now)

    asyncio.run(run())


def statuses(db_path: Path) -> dict[str, int]:
    """Outbox rows per status, read with a separate connection."""
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status"))


def delivered(fake: FakeTelegram, tag: str) -> dict[str, int]:
    """How many copies of the `tag` notice each chat received."""
    return {chat: sum(1 for c in fake.sent_to(chat) if c.params["text"].startswith(tag))
            for chat in CHATS}


def test_a_second_bot_refuses_to_start_and_the_first_ones_messages_go_once(
    fake: FakeTelegram, bots: Bots,
) -> None:
    queue_notices(bots.db_path, "a", seed=True)
    fake.hold("sendMessage")  # the first bot's five sends stay in flight: rows 'sending'
    first = bots.start(**NO_QUIET)
    fake.wait_for_sync(lambda: fake.holding >= len(CHATS), timeout=WAIT)
    assert statuses(bots.db_path) == {"sending": 5}

    second = bots.spawn(bots.env(**NO_QUIET), "run")
    assert second.wait(WAIT) != 0
    refusal = (bots.tmp_path / "bot2.log").read_text("utf-8").strip()
    assert refusal.startswith(REFUSAL) and str(bots.db_path) in refusal, refusal
    assert len(refusal.splitlines()) == 1  # one clear line, no traceback
    assert statuses(bots.db_path) == {"sending": 5}  # its start-up did not take them back

    # Other commands still work while the bot runs.
    status = _cli(bots.db_path, "outbox", "status")
    assert status.returncode == 0 and "đang gửi: 5" in status.stdout, status.stderr
    granted = _cli(bots.db_path, "grant", "admin", "telegram:42")
    assert granted.returncode == 0, granted.stderr

    fake.release("sendMessage")
    fake.wait_for_sync(lambda: statuses(bots.db_path) == {"sent": 5}, timeout=WAIT)
    polls = len(fake.calls("getUpdates"))
    fake.wait_for_sync(lambda: len(fake.calls("getUpdates")) >= polls + 2, timeout=WAIT)
    assert delivered(fake, "a") == dict.fromkeys(CHATS, 1)
    assert first.poll() is None


def test_after_kill_9_the_lock_is_free_and_a_new_bot_starts(
    fake: FakeTelegram, bots: Bots,
) -> None:
    queue_notices(bots.db_path, "a", seed=True)
    first = bots.start(**NO_QUIET)
    fake.wait_for_sync(lambda: statuses(bots.db_path) == {"sent": 5}, timeout=WAIT)
    first.send_signal(signal.SIGKILL)
    assert first.wait(10) == -signal.SIGKILL

    again = bots.start(**NO_QUIET)  # starts: the dead process's lock went with it
    queue_notices(bots.db_path, "b", seed=False)
    fake.wait_for_sync(lambda: statuses(bots.db_path) == {"sent": 10}, timeout=WAIT)
    assert again.poll() is None
    assert delivered(fake, "a") == dict.fromkeys(CHATS, 1)
    assert delivered(fake, "b") == dict.fromkeys(CHATS, 1)
