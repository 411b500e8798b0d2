"""Helpers for the outbox tests: seeded producers, virtual time, a recording Transport."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot.outbox.policy import SendPolicy
from bot.outbox.quiet import DailyCap, QuietHours
from bot.outbox.sender import Sender
from bot.outbox.transport import SendResult, SendStatus
from messages import Renderer
from storage import Database
from storage.models import Role
from tests.chat import Clock

T = TypeVar("T")
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def seed_producers(
    db: Database,
    count: int,
    now: datetime,
    *,
    province: str = "VL",
    communes: tuple[str, ...] = ("Xã Tân Phú", "Phường 1"),
    channel: str = "telegram",
    first_id: int = 1000,
    locale: str = "vi",
) -> list[int]:
    """Create `count` producers, each with one account; returns the user ids."""
    ids = []
    async with db.transaction() as store:
        for n in range(count):
            external = str(first_id + n)
            user = await store.users.seen(channel, external, external, now)
            producer = await store.users.create_producer(
                {"name": f"HTX {n}", "entity_type": "household", "contact_person": "Lan",
                 "phone": "+84912345678", "province_code": province,
                 "commune": communes[n % len(communes)]},
                now,
            )
            await store.users.attach_producer(user.id, producer)
            await store.users.give_consent(user.id, now)
            if locale != "vi":
                await store.users.set_locale(user.id, locale)
            ids.append(user.id)
    return ids


async def make_officer(
    db: Database, now: datetime, external: str = "555", province: str | None = "VL",
    channel: str = "telegram", role: Role = Role.OFFICER,
) -> int:
    """An officer account of a province; returns the user id."""
    async with db.transaction() as store:
        user = await store.users.seen(channel, external, external, now)
        await store.users.grant(user.id, role, province, "test", now)
        return user.id


class VirtualTime:
    """Time the test controls: `sleep` parks the caller, `drive` jumps to the next wake-up."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._serial = itertools.count()

    def monotonic(self) -> float:
        """Seconds, following the injected wall clock."""
        return self.clock.now.timestamp()

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of virtual time."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (self.monotonic() + seconds, next(self._serial), future))
        await future

    async def drive(self, work: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        """Run `work`, jumping time forward whenever every task is parked on a sleep."""
        task = asyncio.ensure_future(work)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not task.done():
            if loop.time() > deadline:
                task.cancel()
                raise TimeoutError("virtual-time work did not finish")
            for _ in range(1000):  # let every runnable task run until it parks
                await asyncio.sleep(0)
                if task.done() or not loop._ready:  # type: ignore[attr-defined]
                    break
            if task.done():
                break
            if self._waiters:
                wake, _, future = heapq.heappop(self._waiters)
                if wake > self.monotonic():
                    self.clock.now = datetime.fromtimestamp(wake, UTC)
                if not future.done():
                    future.set_result(None)
            else:
                await asyncio.sleep(0.001)  # a task is waiting on real I/O (SQLite)
        return task.result()


Script = Callable[[str, int], SendResult | None]


@dataclass
class RecordingTransport:
    """A Transport that records every delivery; `script(chat, n)` may answer otherwise."""

    clock: Callable[[], float]
    script: Script | None = None
    channel: str = "telegram"
    delivered: list[tuple[float, str, str]] = field(default_factory=list)  # (t, chat, text)
    attempts: dict[str, int] = field(default_factory=dict)
    edits: list[tuple[str, str, str]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send(self, chat_id: str, payload: dict[str, Any]) -> SendResult:
        """Record the attempt and answer as scripted (sent by default)."""
        n = self.attempts.get(chat_id, 0) + 1
        self.attempts[chat_id] = n
        answer = self.script(chat_id, n) if self.script else None
        if answer is None:
            self.delivered.append((self.clock(), chat_id, payload["text"]))
        await asyncio.sleep(0)
        return answer or SendResult(SendStatus.SENT, message_id=str(next(self._ids)))

    async def edit(self, chat_id: str, message_id: str, payload: dict[str, Any]) -> SendResult:
        """Record an edit."""
        self.edits.append((chat_id, message_id, payload["text"]))
        return SendResult(SendStatus.SENT, message_id=message_id)

    def per_chat(self) -> dict[str, int]:
        """How many messages each chat received."""
        counts: dict[str, int] = {}
        for _, chat, _ in self.delivered:
            counts[chat] = counts.get(chat, 0) + 1
        return counts


def policy(
    rate: float = 50.0, chat_interval: float = 1.0, backoff_base: float = 2.0,
    backoff_max: float = 600.0, daily_cap: int = 3,
    quiet: tuple[time, time] = (time(21), time(7)),
) -> SendPolicy:
    """A send policy for tests."""
    return SendPolicy(
        rate=rate, chat_interval=chat_interval, backoff_base=backoff_base,
        backoff_max=backoff_max, quiet=QuietHours(quiet[0], quiet[1], ZONE),
        cap=DailyCap(daily_cap, ZONE),
    )


def make_sender(
    db: Database, transport: RecordingTransport, vt: VirtualTime, send_policy: SendPolicy,
    max_in_flight: int = 200,
) -> Sender:
    """A sender on virtual time."""
    return Sender(
        db, transport, Renderer(), send_policy, clock=vt.clock, monotonic=vt.monotonic,
        sleep=vt.sleep, max_in_flight=max_in_flight,
    )


async def drain(sender: Sender, vt: VirtualTime, rounds: int = 50,
                between: Callable[[], Awaitable[None]] | None = None) -> int:
    """Drain until a pass claims nothing; returns rows claimed in all."""
    total = 0
    for _ in range(rounds):
        claimed = await vt.drive(sender.drain_once())
        total += claimed
        if between is not None:
            await between()
        if claimed == 0:
            return total
    return total
