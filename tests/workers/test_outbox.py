"""Several workers on one PostgreSQL database share the outbox: each row is claimed by one
worker (`FOR UPDATE SKIP LOCKED`), held under a lease that a dead worker's rows outlive
only until it passes, notices to one person keep their order, and the channel's rate is
shared through the database."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from bot.outbox.sender import Sender
from bot.outbox.shared_pace import SharedSlots
from bot.outbox.transport import SendResult, SendStatus
from messages import Renderer
from storage import Database
from tests.chat import Clock
from tests.engines import PostgresServer
from tests.outbox.support import policy, seed_producers
from tests.outbox.test_sender import queue, statuses
from tests.workers.support import two_workers

WAIT = 20.0


@dataclass
class Wire:
    """What the channel received from every worker, in order: (worker, chat, text)."""

    log: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class WorkerTransport:
    """One worker's transport onto the shared wire."""

    wire: Wire
    worker: str
    channel: str = "telegram"

    async def send(self, chat_id: str, payload: dict[str, Any]) -> SendResult:
        """Record the delivery; every send succeeds."""
        self.wire.log.append((self.worker, chat_id, payload["text"]))
        await asyncio.sleep(0)
        return SendResult(SendStatus.SENT, message_id=str(len(self.wire.log)))

    async def edit(self, chat_id: str, message_id: str, payload: dict[str, Any]) -> SendResult:
        """Edits are not part of these tests."""
        return SendResult(SendStatus.SENT, message_id=message_id)


def sender(db: Database, wire: Wire, worker: str, clock: Clock, lease: float = 60.0) -> Sender:
    """A worker's sender: fast, no interval per chat, a handful of rows per claim."""
    fast = replace(policy(rate=1000.0, chat_interval=0.0), lease=lease)
    return Sender(db, WorkerTransport(wire, worker), Renderer(), fast, clock=clock,
                  max_in_flight=4, worker=worker)


@contextlib.asynccontextmanager
async def notices_to(
    pg_server: PostgresServer, clock: Clock, count: int,
) -> AsyncIterator[tuple[Database, Database, list[int]]]:
    """Two workers on a fresh database holding `count` producers, one notice queued to each."""
    async with two_workers(pg_server.fresh_database()) as (first, second):
        users = await seed_producers(first, count, clock())
        await queue(first, users, clock(), kind="notice")
        yield first, second, users


async def test_two_workers_send_each_row_once_and_each_persons_notices_in_order(
    pg_server: PostgresServer, clock: Clock,
) -> None:
    url = pg_server.fresh_database()
    async with two_workers(url) as (first, second):
        users = await seed_producers(first, 12, clock())
        for tag in ("1st", "2nd", "3rd"):
            await queue(first, users, clock(), kind="notice", tag=tag)
        wire = Wire()
        senders = [sender(first, wire, "a", clock), sender(second, wire, "b", clock)]
        async with asyncio.timeout(WAIT):
            while await statuses(first) != {"sent": 36}:
                await asyncio.gather(*(s.drain_once() for s in senders))
    texts = [text for _, _, text in wire.log]
    assert sorted(texts) == sorted(f"{tag} {u}" for tag in ("1st", "2nd", "3rd") for u in users)
    assert {worker for worker, _, _ in wire.log} == {"a", "b"}  # both took their share
    for user in users:
        mine = [text.split()[0] for text in texts if text.endswith(f" {user}")]
        assert mine == ["1st", "2nd", "3rd"]


async def test_rows_being_claimed_by_one_worker_are_skipped_by_the_other(
    pg_server: PostgresServer, clock: Clock,
) -> None:
    async with notices_to(pg_server, clock, 6) as (first, second, _):
        cap = policy()
        kwargs: dict[str, Any] = dict(urgent_only=False, daily_cap=cap.cap.limit,
                                      day_start=clock() - timedelta(hours=1),
                                      cap_resume=clock() + timedelta(hours=1))
        async with first.read_committed() as store:  # worker a's claim, not yet committed
            mine = await store.outbox.claim_due("telegram", clock(), 3, worker="a", **kwargs)
            async with asyncio.timeout(WAIT), second.read_committed() as other:  # not blocked
                theirs = await other.outbox.claim_due("telegram", clock(), 6, worker="b",
                                                      **kwargs)
    assert len(mine) == 3 and len(theirs) == 3
    assert {r.id for r in mine}.isdisjoint(r.id for r in theirs)


async def test_a_dead_workers_rows_wait_for_its_lease_then_go_once(
    pg_server: PostgresServer, clock: Clock,
) -> None:
    async with notices_to(pg_server, clock, 3) as (first, second, users):
        dead = sender(first, Wire(), "dead", clock, lease=60.0)
        assert len(await dead._claim(10)) == 3  # claimed, then the worker is gone
        wire = Wire()
        alive = sender(second, wire, "alive", clock)
        assert await alive.recover() == 0  # a starting worker leaves rows under a lease
        assert await alive.drain_once() == 0 and wire.log == []
        clock.advance(seconds=59)
        assert await alive.drain_once() == 0
        clock.advance(seconds=2)  # the lease has passed: taken over
        assert await alive.drain_once() == 3
        assert sorted(text for _, _, text in wire.log) == sorted(f"t {u}" for u in users)
        assert await statuses(first) == {"sent": 3}


async def test_a_live_worker_renews_its_lease_so_its_rows_are_not_taken(
    pg_server: PostgresServer, clock: Clock,
) -> None:
    async with notices_to(pg_server, clock, 2) as (first, second, _):
        busy = sender(first, Wire(), "busy", clock, lease=60.0)
        assert len(await busy._claim(10)) == 2
        for _ in range(3):  # a slow send: 150 s, renewed every 50 s
            clock.advance(seconds=50)
            async with first.transaction() as store:
                until = clock() + timedelta(seconds=60)
                assert await store.outbox.renew("telegram", "busy", until) == 2
        wire = Wire()
        assert await sender(second, wire, "other", clock).drain_once() == 0
        assert wire.log == []


async def test_the_channels_rate_is_shared_by_the_workers(
    pg_server: PostgresServer,
) -> None:
    url = pg_server.fresh_database()
    now = time.time()
    async with two_workers(url) as (first, second):
        slots = [SharedSlots(db, "telegram", rate=8.0, wall=lambda: now)
                 for db in (first, second)]
        waits = [await slots[n % 2].wait() for n in range(8)]
    # blocks of two slots an eighth of a second apart, never the same slot twice
    assert sorted(waits) == [0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875]
    assert [s.reserved for s in slots] == [2, 2]


async def test_a_restarted_sender_takes_back_its_own_workers_rows_at_once(
    pg_server: PostgresServer, clock: Clock,
) -> None:
    async with notices_to(pg_server, clock, 2) as (first, second, _):
        assert len(await sender(first, Wire(), "w1", clock)._claim(10)) == 2  # then it failed
        assert await sender(second, Wire(), "w2", clock).recover() == 0  # another's: leased
        wire = Wire()
        again = sender(first, wire, "w1", clock)  # the same process starts its sender again
        assert await again.recover() == 2
        assert await again.drain_once() == 2 and len(wire.log) == 2


@dataclass
class TimedWire(Wire):
    """The wire, with when each message arrived."""

    times: list[float] = field(default_factory=list)


class TimedTransport(WorkerTransport):
    """A worker's transport noting the time of each delivery."""

    async def send(self, chat_id: str, payload: dict[str, Any]) -> SendResult:
        """Note the time, then deliver."""
        assert isinstance(self.wire, TimedWire)
        self.wire.times.append(time.monotonic())
        return await super().send(chat_id, payload)


async def test_two_workers_together_keep_to_the_channels_rate(
    pg_server: PostgresServer, clock: Clock,
) -> None:
    url = pg_server.fresh_database()
    rate = 20.0
    async with two_workers(url) as (first, second):
        users = await seed_producers(first, 40, clock())
        await queue(first, users, clock(), kind="notice")
        wire = TimedWire()
        paced = replace(policy(rate=rate, chat_interval=0.0), lease=60.0)
        senders = [
            Sender(db, TimedTransport(wire, name), Renderer(), paced, clock=clock,
                   max_in_flight=8, worker=name, shared=SharedSlots(db, "telegram", rate))
            for db, name in ((first, "a"), (second, "b"))]
        async with asyncio.timeout(WAIT):
            while await statuses(first) != {"sent": 40}:
                await asyncio.gather(*(s.drain_once() for s in senders))
    times = sorted(wire.times)
    assert {worker for worker, _, _ in wire.log} == {"a", "b"}
    # any 21 sends span at least a second (each worker alone would allow twice as many)
    spans = [times[i + int(rate)] - times[i] for i in range(len(times) - int(rate))]
    assert min(spans) >= 0.85, min(spans)
