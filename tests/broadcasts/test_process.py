"""`kill -9` the bot in the middle of a 2 000-recipient broadcast: nothing lost, few duplicates."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fakes.telegram import FakeTelegram
from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import open_database
from storage.broadcasts import DeliveryReport
from tests.chat import Chat, Clock
from tests.outbox.support import make_officer, seed_producers
from tests.process.test_process import Bots

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

RECIPIENTS = 2000
BLOCKED = {str(1000 + n) for n in range(7, RECIPIENTS, 100)}  # 20 people blocked the bot
NUDGED = "777"  # a newcomer who left onboarding four days ago
WAIT = 60.0


class Bot(Bots):
    """`ocop-bot run` against the fake, at test speed (400 messages/s, no quiet hours)."""

    def env(self, **extra: str) -> dict[str, str]:
        """The usual environment, faster and without quiet hours."""
        return super().env(
            TELEGRAM_MESSAGES_PER_SECOND="400", OCOP_QUIET_START="00:00",
            OCOP_QUIET_END="00:00", OCOP_PROGRESS_INTERVAL="0.5", **extra,
        )

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL, no goodbye."""
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """The fake Bot API with flood control, served from a background thread."""
    server = FakeTelegram(per_chat_rate=1.0, global_rate=480)
    server.blocked.update(BLOCKED)
    with server.running_in_thread():
        yield server


@pytest.fixture
def bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[Bot]:
    """Bot processes, killed at the end whatever happens."""
    bots = Bot(fake, tmp_path)
    try:
        yield bots
    finally:
        bots.kill_all()


def prepare(db_path: Path) -> None:
    """Producers, a newcomer with a stale draft, and an officer's confirmed broadcast."""

    async def run() -> None:
        clock = Clock(datetime.now(UTC))
        async with open_database(db_path) as db:
            await seed_producers(db, RECIPIENTS, clock())
            async with db.transaction() as store:
                user = await store.users.seen("telegram", NUDGED, NUDGED, clock())
                await store.conversations.save_draft(
                    user.id, "onboarding", {"name": "HTX B"}, clock() - timedelta(days=4)
                )
            await make_officer(db, clock(), "555", "VL")
            renderer = Renderer()
            dispatcher = Dispatcher(db, HandlerConfig(), renderer, clock=clock, features=FEATURES)
            officer = Chat(dispatcher, renderer, clock, channel="telegram", user="555")
            await officer.say("/canbo")
            await officer.press("o:bc")
            await officer.say("Hạn nộp hồ sơ OCOP đợt II: 20/12.")
            await officer.press("a:ok")
            await officer.press("c:now")
            await officer.press("c:go")
            assert officer.templates[0] == "broadcast/queued"

    asyncio.run(run())


def report(db_path: Path) -> tuple[str, DeliveryReport]:
    """The broadcast's status and report, read through the storage layer."""

    async def read() -> tuple[str, DeliveryReport]:
        async with open_database(db_path) as db, db.transaction() as store:
            broadcast = await store.broadcasts.get(1)
            assert broadcast is not None
            return broadcast.status, await store.broadcasts.report(1)

    return asyncio.run(read())


def progress_finished(fake: FakeTelegram) -> bool:
    """Whether the officer's progress message now says the broadcast is finished."""
    shown = [c.params["text"] for c in fake.calls("editMessageText")]
    shown += [c.params["text"] for c in fake.sent_to(555)]
    return any("đã gửi xong" in text for text in shown)


def recipients_reached(fake: FakeTelegram) -> int:
    return sum(1 for n in range(RECIPIENTS) if fake.sent_to(1000 + n))


def test_kill_9_mid_broadcast_then_restart_delivers_to_everyone(
    fake: FakeTelegram, bot: Bot
) -> None:
    prepare(bot.db_path)
    crashes = 0
    for reached in (500, 1200):
        proc = bot.start()
        fake.wait_for_sync(lambda n=reached: recipients_reached(fake) >= n, timeout=WAIT)
        bot.kill(proc)
        crashes += 1
    last = bot.start()
    goal = RECIPIENTS - len(BLOCKED)
    fake.wait_for_sync(lambda: recipients_reached(fake) >= goal, timeout=WAIT)
    fake.wait_for_sync(lambda: fake.sent_to(NUDGED), timeout=WAIT)
    fake.wait_for_sync(lambda: progress_finished(fake), timeout=WAIT)
    bot.kill(last)

    per_chat = {str(1000 + n): len(fake.sent_to(1000 + n)) for n in range(RECIPIENTS)}
    duplicates = sum(n - 1 for n in per_chat.values() if n > 1)
    assert {chat for chat, n in per_chat.items() if n == 0} == BLOCKED, bot.log()[-3000:]
    assert max(per_chat.values()) <= 1 + crashes  # at most one duplicate per crash
    assert duplicates <= crashes * 50, duplicates  # only what was in flight at each kill
    status, delivery = report(bot.db_path)
    assert status == "done"
    assert delivery.total == RECIPIENTS
    assert (delivery.delivered, delivery.blocked) == (goal, len(BLOCKED))
    assert delivery.delivered + delivery.blocked + delivery.retrying + delivery.waiting \
        + delivery.failed + delivery.cancelled == delivery.total

    # One more restart: the reminder sent before is not sent again.
    again = bot.start()
    polls = len(fake.calls("getUpdates"))
    fake.wait_for_sync(lambda: len(fake.calls("getUpdates")) >= polls + 2, timeout=WAIT)
    bot.kill(again)
    assert len(fake.sent_to(NUDGED)) == 1
    # A restarted process does not know when the previous one last wrote to a chat, so a
    # re-sent row may meet the per-chat limit; such a 429 is waited out like any other.
    assert len([c for c in fake.rejected if c.status == 429]) <= crashes * 50
