"""Notices to one person arrive in the order they were written, whatever their urgency."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import Database
from tests.chat import Clock
from tests.outbox.support import RecordingTransport, VirtualTime, drain, make_sender, policy
from tests.outbox.support import seed_producers as producers
from tests.outbox.test_sender import queue, statuses


async def test_a_later_urgent_notice_never_overtakes_an_earlier_one_held_by_quiet_hours(
    db: Database, clock: Clock
) -> None:
    clock.now = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 22:00 in Vietnam: quiet
    [farmer, other] = await producers(db, 2, clock())
    await queue(db, [farmer], clock(), kind="notice", tag="accepted")
    clock.advance(minutes=5)
    await queue(db, [farmer, other], clock(), kind="notice", tag="certified", urgent=True)
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy())
    await drain(sender, vt)
    # urgent notices go at night; the farmer's takes the earlier one along, in front of it
    delivered = [text for _, _, text in transport.delivered]
    assert sorted(delivered) == sorted(
        [f"accepted {farmer}", f"certified {farmer}", f"certified {other}"]
    )
    assert delivered.index(f"accepted {farmer}") < delivered.index(f"certified {farmer}")
    assert await statuses(db) == {"sent": 3}


async def test_a_normal_notice_alone_still_waits_for_the_morning(
    db: Database, clock: Clock
) -> None:
    clock.now = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 22:00 in Vietnam: quiet
    [farmer] = await producers(db, 1, clock())
    await queue(db, [farmer], clock(), kind="notice", tag="accepted")
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy())
    assert await drain(sender, vt) == 0
    clock.now = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 07:00
    await drain(sender, vt)
    assert [text for _, _, text in transport.delivered] == [f"accepted {farmer}"]


async def test_notices_of_different_people_do_not_wait_for_each_other(
    db: Database, clock: Clock
) -> None:
    users = await producers(db, 3, clock())
    await queue(db, users, clock(), kind="notice", tag="first")
    await queue(db, users, clock(), kind="notice", tag="second")
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy())
    await drain(sender, vt)
    delivered = [text for _, _, text in transport.delivered]
    for uid in users:
        assert delivered.index(f"first {uid}") < delivered.index(f"second {uid}")
    assert await statuses(db) == {"sent": 6}
