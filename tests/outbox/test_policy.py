"""Quiet hours and the per-user daily cap, on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.outbox.quiet import DailyCap, QuietHours
from storage import Database
from tests.chat import Clock
from tests.outbox.support import (
    ZONE,
    RecordingTransport,
    VirtualTime,
    drain,
    make_sender,
    policy,
    seed_producers,
)
from tests.outbox.test_sender import queue, statuses


def test_quiet_window_spans_midnight_in_local_time() -> None:
    quiet = QuietHours(time(21), time(7), ZONE)
    assert quiet.is_quiet(datetime(2026, 12, 1, 14, 0, tzinfo=UTC))  # 21:00 ICT
    assert quiet.is_quiet(datetime(2026, 12, 1, 23, 59, tzinfo=UTC))  # 06:59 ICT
    assert not quiet.is_quiet(datetime(2026, 12, 2, 0, 0, tzinfo=UTC))  # 07:00 ICT
    assert not quiet.is_quiet(datetime(2026, 12, 1, 13, 59, tzinfo=UTC))  # 20:59 ICT
    assert quiet.next_end(datetime(2026, 12, 1, 15, 0, tzinfo=UTC)) == datetime(
        2026, 12, 2, 0, 0, tzinfo=UTC
    )
    cap = DailyCap(3, ZONE)
    assert cap.day_start(datetime(2026, 12, 1, 18, 0, tzinfo=UTC)) == datetime(
        2026, 12, 1, 17, 0, tzinfo=UTC
    )  # 01:00 ICT on 2 December belongs to the day starting at midnight ICT


async def test_quiet_hours_hold_normal_rows_until_morning_and_let_urgent_ones_go(
    db: Database, clock: Clock
) -> None:
    clock.now = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 22:00 in Vietnam
    users = await seed_producers(db, 2, clock())
    await queue(db, users[:1], clock(), tag="normal")
    await queue(db, users[1:], clock(), tag="urgent", urgent=True)
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy())
    await drain(sender, vt)
    assert [text for _, _, text in transport.delivered] == [f"urgent {users[1]}"]
    clock.now = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)  # 06:59: still quiet
    assert await drain(sender, vt) == 0
    clock.now = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 07:00
    await drain(sender, vt)
    assert [text for _, _, text in transport.delivered][-1] == f"normal {users[0]}"
    assert await statuses(db) == {"sent": 2}


async def test_daily_cap_holds_extra_rows_until_the_next_morning(
    db: Database, clock: Clock
) -> None:
    [user] = await seed_producers(db, 1, clock())
    for tag in ("r1", "r2", "r3"):
        await queue(db, [user], clock(), tag=tag)
    await queue(db, [user], clock(), tag="urgent", kind="announcement", urgent=True,
                cap_exempt=True)
    await queue(db, [user], clock(), tag="normal", kind="announcement")
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy(daily_cap=2))
    await drain(sender, vt)
    first_day = sorted(text.split()[0] for _, _, text in transport.delivered)
    assert first_day == ["r1", "r2", "urgent"]
    clock.advance(hours=12)  # 22:00 ICT: still the same day, and quiet anyway
    assert await drain(sender, vt) == 0
    clock.now = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 07:00 next day: cap is fresh
    await drain(sender, vt)
    second_day = sorted(text.split()[0] for _, _, text in transport.delivered[3:])
    assert second_day == ["normal", "r3"]
    assert await statuses(db) == {"sent": 5}


async def test_rows_scheduled_for_later_wait_for_their_time(db: Database, clock: Clock) -> None:
    [user] = await seed_producers(db, 1, clock())
    await queue(db, [user], clock() + timedelta(hours=2), tag="later")
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy())
    assert await drain(sender, vt) == 0
    clock.advance(hours=2)
    assert await drain(sender, vt) == 1
    assert transport.per_chat() == {"1000": 1}


async def test_own_dossier_notices_are_never_held_back_by_the_cap(
    db: Database, clock: Clock
) -> None:
    [user] = await seed_producers(db, 1, clock())
    for tag in ("r1", "r2"):
        await queue(db, [user], clock(), tag=tag)
    await queue(db, [user], clock(), tag="cert", kind="notice")
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    await drain(make_sender(db, transport, vt, policy(daily_cap=1)), vt)
    assert sorted(text.split()[0] for _, _, text in transport.delivered) == ["cert", "r1"]
