"""The outbox sender on virtual time with a recording transport: pacing, retries, crashes."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.outbox.sender import Sender
from bot.outbox.transport import SendResult, SendStatus
from messages import Renderer
from storage import Database
from storage.outbox_models import OutboxMessage
from tests.chat import Clock
from tests.outbox.support import (
    RecordingTransport,
    VirtualTime,
    drain,
    make_sender,
    policy,
    seed_producers,
)


async def queue(
    db: Database, user_ids: list[int], now: datetime, *, kind: str = "reminder",
    urgent: bool = False, cap_exempt: bool = False, tag: str = "t",
) -> None:
    """One row per user, chat id = the user's external id (1000 + n)."""
    async with db.transaction() as store:
        for uid in user_ids:
            user = await store.users.get(uid)
            assert user is not None
            await store.outbox.enqueue(OutboxMessage(
                user_id=uid, channel="telegram", chat_id=user.chat_id, kind=kind,
                payload={"text": f"{tag} {uid}", "format": "html"},
                dedupe_key=f"{tag}:{uid}", not_before=now, urgent=urgent, cap_exempt=cap_exempt,
            ), now)


async def statuses(db: Database) -> dict[str, int]:
    async with db.transaction() as store:
        return await store.outbox.counts()


async def test_every_row_is_delivered_once_within_the_global_rate(
    db: Database, clock: Clock
) -> None:
    users = await seed_producers(db, 300, clock())
    await queue(db, users, clock())
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy(rate=50))
    await drain(sender, vt)
    assert sorted(transport.per_chat().values()) == [1] * 300
    times = sorted(t for t, _, _ in transport.delivered)
    # at most 50 in any one-second window: the 51st after any send is a full second later
    assert all(times[i + 50] - times[i] >= 1.0 - 1e-4 for i in range(len(times) - 50))
    assert times[-1] - times[0] < 300 / 50 + 1  # and not much slower than the rate
    assert await statuses(db) == {"sent": 300}


async def test_one_chat_gets_at_most_one_message_per_interval(
    db: Database, clock: Clock
) -> None:
    [user] = await seed_producers(db, 1, clock())
    for tag in ("a", "b", "c", "d"):
        await queue(db, [user], clock(), tag=tag, cap_exempt=True)
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    await drain(make_sender(db, transport, vt, policy(chat_interval=1.0)), vt)
    times = [t for t, _, _ in transport.delivered]
    assert len(times) == 4
    assert all(b - a >= 1.0 - 1e-4 for a, b in itertools.pairwise(times))


async def test_flood_control_delays_only_that_chat_and_still_delivers_once(
    db: Database, clock: Clock
) -> None:
    users = await seed_producers(db, 20, clock())
    await queue(db, users, clock())
    vt = VirtualTime(clock)

    def script(chat: str, attempt: int) -> SendResult | None:
        if chat == "1000" and attempt == 1:
            return SendResult(SendStatus.RETRY_AFTER, retry_after=5)
        return None

    transport = RecordingTransport(vt.monotonic, script)
    sender = make_sender(db, transport, vt, policy(rate=100))
    start = vt.monotonic()
    await drain(sender, vt)
    assert sorted(transport.per_chat().values()) == [1] * 20
    when = {chat: t - start for t, chat, _ in transport.delivered}
    assert when["1000"] >= 5.0
    assert max(t for chat, t in when.items() if chat != "1000") < 1.0  # others did not wait
    assert sender.stats.retry_after == 1


async def test_transient_errors_back_off_up_to_the_cap_and_keep_the_row(
    db: Database, clock: Clock
) -> None:
    users = await seed_producers(db, 2, clock())
    await queue(db, users, clock())
    vt = VirtualTime(clock)

    def script(chat: str, attempt: int) -> SendResult | None:
        if chat == "1000":
            return SendResult(SendStatus.TRANSIENT, error="502 Bad Gateway")
        return SendResult(SendStatus.TRANSIENT) if attempt == 1 else None

    transport = RecordingTransport(vt.monotonic, script)
    sender = make_sender(db, transport, vt, policy(backoff_base=2.0, backoff_max=5.0))
    start = clock()
    assert await vt.drive(sender.drain_once()) == 2
    assert await statuses(db) == {"retry": 2}
    assert await vt.drive(sender.drain_once()) == 0  # backoff: not due yet
    clock.now = start + timedelta(seconds=2.5)
    assert await vt.drive(sender.drain_once()) == 2  # second attempts: 1001 succeeds
    clock.now = start + timedelta(seconds=5.5)
    assert await vt.drive(sender.drain_once()) == 0  # 1000 waits 4 s after its 2nd attempt
    clock.now = start + timedelta(seconds=7)
    assert await vt.drive(sender.drain_once()) == 1
    assert transport.attempts == {"1000": 3, "1001": 2}
    assert await statuses(db) == {"sent": 1, "retry": 1}  # still relevant: kept, not failed
    clock.now = start + timedelta(seconds=11.5)
    assert await vt.drive(sender.drain_once()) == 0  # 8 s would be next: capped at 5
    clock.now = start + timedelta(seconds=12)
    assert await vt.drive(sender.drain_once()) == 1
    assert transport.attempts["1000"] == 4


async def test_blocked_recipient_is_dead_and_left_alone_from_then_on(
    db: Database, clock: Clock
) -> None:
    users = await seed_producers(db, 3, clock())
    await queue(db, users, clock(), tag="a")
    await queue(db, users[:1], clock() + timedelta(minutes=5), tag="b")
    vt = VirtualTime(clock)

    def script(chat: str, attempt: int) -> SendResult | None:
        return SendResult(SendStatus.BLOCKED, error="Forbidden: bot was blocked by the user") \
            if chat == "1000" else None

    transport = RecordingTransport(vt.monotonic, script)
    await drain(make_sender(db, transport, vt, policy()), vt)
    async with db.transaction() as store:
        blocked = await store.users.get(users[0])
        counts = await store.outbox.counts()
        reach = await store.audience.count("VL", [])
    assert blocked is not None and not blocked.active
    assert counts == {"sent": 2, "dead": 2}  # its queued second row is dead too
    assert reach == (2, 2)  # future broadcasts skip them
    assert transport.attempts["1000"] == 1


async def test_a_crash_between_claim_and_settle_resends_and_loses_nothing(
    db: Database, clock: Clock
) -> None:
    users = await seed_producers(db, 10, clock())
    await queue(db, users, clock())
    async with db.transaction() as store:  # a sender claimed 4 rows, then the process died
        claimed = await store.outbox.claim_due(
            "telegram", clock(), 4, urgent_only=False, daily_cap=9, day_start=clock(),
            cap_resume=clock(),
        )
    assert len(claimed) == 4
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy())
    assert await sender.recover() == 4
    await drain(sender, vt)
    assert sorted(transport.per_chat().values()) == [1] * 10
    assert await statuses(db) == {"sent": 10}


async def test_an_outcome_that_could_not_be_recorded_is_recorded_later_not_resent(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    users = await seed_producers(db, 2, clock())
    await queue(db, users, clock())
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy(rate=100))
    with sqlite3.connect(tmp_path / "ocop.db") as other:  # the disk refuses the 'sent' mark
        other.execute(
            "CREATE TRIGGER refuse_sent BEFORE UPDATE OF status ON outbox"
            " WHEN NEW.status = 'sent' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    assert await vt.drive(sender.drain_once()) == 2
    assert await statuses(db) == {"sending": 2}
    with sqlite3.connect(tmp_path / "ocop.db") as other:
        other.execute("DROP TRIGGER refuse_sent")
    assert await drain(sender, vt) == 0  # nothing claimed again ...
    assert await statuses(db) == {"sent": 2}  # ... and both recorded, without a restart
    assert sorted(transport.per_chat().values()) == [1, 1]


@dataclass
class GatedTransport(RecordingTransport):
    """Sends wait at a gate the test opens."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: int = 0

    async def send(self, chat_id: str, payload: dict[str, Any]) -> SendResult:
        """Wait for the gate, then record the delivery."""
        self.waiting += 1
        await self.gate.wait()
        return await super().send(chat_id, payload)


async def test_stopping_the_sender_records_what_it_has_sent(db: Database, clock: Clock) -> None:
    users = await seed_producers(db, 3, clock())
    await queue(db, users, clock(), cap_exempt=True)
    transport = GatedTransport(time.monotonic)
    sender = Sender(db, transport, Renderer(), policy(rate=1000), clock=clock, idle_poll=0.01)
    running = asyncio.create_task(sender.run())
    while transport.waiting < 3:  # all three claimed and in the middle of their request
        await asyncio.sleep(0.001)
    async with db.transaction():  # the database is busy while the answers come back ...
        transport.gate.set()
        while len(transport.delivered) < 3:
            await asyncio.sleep(0.001)
        running.cancel()  # ... and the bot is stopped (SIGTERM) right then
    with pytest.raises(asyncio.CancelledError):
        await running
    assert await statuses(db) == {"sent": 3}  # nothing is sent again after the restart
