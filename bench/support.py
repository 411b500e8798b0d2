"""What the benchmarks share: a database seeded with producers, an officer, a send policy."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from bot.outbox.policy import SendPolicy
from bot.outbox.quiet import DailyCap, QuietHours
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Incoming, InputKind, Outcome
from storage import Database
from storage.models import Role

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def seed_producers(
    db: Database, how_many: int, now: datetime, *, first_id: int = 1000, province: str = "VL"
) -> None:
    """`how_many` registered producers on Telegram (consent given), as onboarding leaves them."""
    async with db.transaction() as store:
        for n in range(how_many):
            external = str(first_id + n)
            user = await store.users.seen("telegram", external, external, now)
            producer = await store.users.create_producer(
                {"name": f"HTX {n}", "entity_type": "household", "contact_person": "Lan",
                 "phone": "+84912345678", "province_code": province,
                 "commune": ("Xã Tân Phú", "Phường 1")[n % 2]},
                now,
            )
            await store.users.attach_producer(user.id, producer)
            await store.users.give_consent(user.id, now)


async def make_officer(db: Database, now: datetime, external: str, province: str) -> None:
    """An officer of a province on Telegram."""
    async with db.transaction() as store:
        user = await store.users.seen("telegram", external, external, now)
        await store.users.grant(user.id, Role.OFFICER, province, "bench", now)


def send_policy(rate: float) -> SendPolicy:
    """The default limits but the rate: 1 s between two messages to a chat, 21:00–07:00 quiet."""
    return SendPolicy(
        rate=rate, chat_interval=1.0, backoff_base=2.0, backoff_max=600.0,
        quiet=QuietHours(time(21), time(7), ZONE), cap=DailyCap(3, ZONE),
    )


class Officer:
    """An officer talking to the dispatcher as the Telegram adapter would."""

    _serial = count(1)

    def __init__(self, dispatcher: Dispatcher, external: str, now: datetime) -> None:
        self.dispatcher, self.external, self.now = dispatcher, external, now
        self.last = Outcome()

    async def say(self, text: str) -> Outcome:
        """Type a message."""
        return await self._send(kind=InputKind.TEXT, text=text)

    async def press(self, key: str) -> Outcome:
        """Press a button of the last menu."""
        return await self._send(kind=InputKind.CHOICE, choice=key,
                                menu_version=self.last.menu_version)

    async def _send(self, **fields: object) -> Outcome:
        event = Incoming(
            channel="telegram", external_id=self.external, chat_id=self.external, at=self.now,
            update_key=f"bench:{next(self._serial)}", **fields,
        )
        self.last = await self.dispatcher.handle(event)
        return self.last


class Clock:
    """A clock the benchmark moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move time forward."""
        self.now += timedelta(**delta)
        return self.now
