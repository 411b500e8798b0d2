"""The reminder scheduler: the draft nudge goes once, survives restarts, and respects the night."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import TokenRefused
from bot.outbox.scheduler import Scheduler
from bot.run import supervise
from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from messages import Renderer
from storage import Database, open_database
from tests.chat import Clock
from tests.outbox.support import RecordingTransport, VirtualTime, drain, make_sender, policy


async def newcomer_with_draft(db: Database, at: datetime, external: str = "42") -> int:
    """A Telegram user who typed half of the onboarding and left."""
    async with db.transaction() as store:
        user = await store.users.seen("telegram", external, external, at)
        await store.conversations.save_draft(user.id, "onboarding", {"name": "HTX A"}, at)
        return user.id


def scheduler(db: Database, clock: Clock) -> Scheduler:
    return Scheduler(db, Renderer(), HandlerConfig(), clock=clock, features=FEATURES)


async def reminders(db: Database) -> list[str]:
    async with db.transaction() as store:
        counts = await store.outbox.counts()
    return [f"{status}:{n}" for status, n in sorted(counts.items())]


async def test_a_draft_left_three_days_gets_exactly_one_nudge(db: Database, clock: Clock) -> None:
    start = clock()
    await newcomer_with_draft(db, start)
    clock.now = start + timedelta(days=2, hours=23)
    assert await scheduler(db, clock).run_once() == 0
    clock.now = start + timedelta(days=3)
    assert await scheduler(db, clock).run_once() == 1
    for _ in range(3):
        clock.advance(minutes=1)
        assert await scheduler(db, clock).run_once() == 0
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    await drain(make_sender(db, transport, vt, policy()), vt)
    assert transport.per_chat() == {"42": 1}
    assert "/start" in transport.delivered[0][2]


async def test_restart_does_not_resend_and_a_reminder_due_while_down_goes_once(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "ocop.db"
    start = clock()
    async with open_database(path) as db:
        await newcomer_with_draft(db, start, "41")
        await newcomer_with_draft(db, start + timedelta(days=1), "42")
        clock.now = start + timedelta(days=3, minutes=1)
        assert await scheduler(db, clock).run_once() == 1  # 41 is due; 42 is not yet
        vt = VirtualTime(clock)
        transport = RecordingTransport(vt.monotonic)
        await drain(make_sender(db, transport, vt, policy()), vt)
    # the bot is down for two days; 42's nudge falls due meanwhile
    clock.now = start + timedelta(days=5, hours=1)
    async with open_database(path) as db:
        again = scheduler(db, clock)
        assert await again.run_once() == 1  # only 42's, once
        assert await again.run_once() == 0
        vt = VirtualTime(clock)
        await drain(make_sender(db, transport, vt, policy()), vt)
        assert await reminders(db) == ["sent:2"]
    assert transport.per_chat() == {"41": 1, "42": 1}


async def test_a_nudge_that_falls_due_at_night_waits_for_the_morning(
    db: Database, clock: Clock
) -> None:
    start = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)  # 22:30 in Vietnam
    await newcomer_with_draft(db, start)
    clock.now = start + timedelta(days=3)
    assert await scheduler(db, clock).run_once() == 1
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy())
    assert await drain(sender, vt) == 0
    clock.now = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)  # 07:00
    assert await drain(sender, vt) == 1
    assert transport.per_chat() == {"42": 1}


async def test_no_nudge_for_users_who_turned_reminders_off_or_stale_drafts(
    db: Database, clock: Clock
) -> None:
    start = clock()
    quiet_user = await newcomer_with_draft(db, start, "43")
    async with db.transaction() as store:
        await store.users.set_preferences(quiet_user, reminders_on=False)
    await newcomer_with_draft(db, start - timedelta(days=40), "44")  # long forgotten
    clock.now = start + timedelta(days=4)
    assert await scheduler(db, clock).run_once() == 0
    assert await reminders(db) == []


async def test_supervise_restarts_a_failed_part_and_stops_on_a_refused_token() -> None:
    starts: list[int] = []

    async def flaky() -> None:
        starts.append(len(starts))
        if len(starts) < 3:
            raise RuntimeError("database is locked")

    await supervise("flaky", flaky, first_delay=0)
    assert len(starts) == 3  # failed twice, restarted, then ended on its own

    async def refused() -> None:
        starts.append(-1)
        raise TokenRefused("TELEGRAM_BOT_TOKEN", "Telegram")

    with pytest.raises(TokenRefused):
        await supervise("refused", refused, first_delay=0)
    assert starts.count(-1) == 1  # never retried
