"""Zalo's monthly quota managed by the bot: counted, shown, warned of, urgent first, paused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.channels.zalo import ZaloBot
from bot.channels.zalo_api import ZaloApi
from bot.channels.zalo_quota import QuotaMeter, QuotaPlan
from bot.outbox.sender import Sender
from bot.outbox.zalo import ZaloTransport
from fakes.zalo import FakeZalo, text_update
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from storage.models import Role
from storage.outbox_models import OutboxMessage
from tests.chat import Clock
from tests.outbox.support import ZONE, VirtualTime, policy, seed_producers
from tests.outbox.test_zalo_transport import fake

__all__ = ["fake"]  # the fake Zalo Bot API, the fixture used by the tests below

NOW = datetime(2026, 12, 20, 3, 0, tzinfo=UTC)  # 10:00 on 20/12/2026 in Vietnam
ADMIN = "telegram:999"


async def _admin(db: Database) -> int:
    async with db.transaction() as store:
        return (await store.users.seen("telegram", "999", "999", NOW)).id


def _meter(db: Database, clock: Clock, limit: int, **plan: object) -> QuotaMeter:
    quota_plan = QuotaPlan(limit=limit, zone=ZONE, **plan)  # type: ignore[arg-type]
    return QuotaMeter(db, Renderer(), quota_plan, frozenset({ADMIN}), clock=clock)


async def _admin_notices(db: Database) -> list[tuple[str, str]]:
    async with db.reading() as store:
        conn = store.outbox._db
        async with conn.execute(
            "SELECT dedupe_key, payload FROM outbox WHERE dedupe_key LIKE 'quota:%' ORDER BY id"
        ) as cur:
            return [(row[0], row[1]) for row in await cur.fetchall()]


async def test_accepted_sends_and_typing_are_counted_refused_ones_and_polls_not(
    db: Database, fake: FakeZalo
) -> None:
    meter = _meter(db, Clock(NOW), 3000)
    api = ZaloApi(fake.token, fake.base_url, on_sent=meter.count)
    await api.send_message("u-1", "một")
    await api.send_chat_action("u-1")
    await api.send_photo("u-1", "https://f.zalo.me/p.jpg", "hai")
    fake.fail("sendMessage", 403)
    with pytest.raises(Exception, match="403"):
        await api.send_message("u-1", "ba")
    fake.poll_cap = 0.1
    await api.get_update(timeout=1)
    await api.aclose()
    usage = await meter.usage()
    assert (usage.month, usage.used) == ("2026-12", 3)


async def test_admins_are_warned_once_at_80_and_95_percent_and_typing_stops(
    db: Database,
) -> None:
    await _admin(db)
    clock = Clock(NOW)
    meter = _meter(db, clock, 3000)
    async with db.transaction() as store:
        await store.channel_usage.add("zalo", "2026-12", 2399, NOW)
    await meter.usage()
    assert meter.typing_allowed()
    for _ in range(3):
        await meter.count("sendMessage")  # 2 400 = 80 %, then two more
    assert not meter.typing_allowed()
    async with db.transaction() as store:
        await store.channel_usage.add("zalo", "2026-12", 447, NOW)  # 2 849
    assert not (await meter.admission(NOW)).urgent_only
    for _ in range(3):
        await meter.count("sendMessage")  # 2 850 = 95 %
    assert (await meter.admission(NOW)).urgent_only
    notices = await _admin_notices(db)
    assert [key.split(":")[3] for key, _ in notices] == ["warn80", "warn95"]
    assert "đã dùng 2.400 / 3.000 tin trong tháng 12/2026 (80%)" in notices[0][1]
    assert "chỉ gửi các tin khẩn" in notices[1][1]


async def test_the_pause_lasts_until_the_month_renews_or_the_set_time(db: Database) -> None:
    admin = await _admin(db)
    async with db.transaction() as store:  # an admin granted by the CLI, on Zalo
        granted = await store.users.seen("zalo", "adm2", "adm2", NOW)
        await store.users.grant(granted.id, Role.ADMIN, None, "test", NOW)
    meter = _meter(db, Clock(NOW), 3000)
    until = await meter.exceeded(NOW)
    assert until == datetime(2026, 12, 31, 17, 0, tzinfo=UTC)  # 01/01/2027 00:00 in Vietnam
    assert (await meter.admission(NOW + timedelta(days=3))).paused_until == until
    assert (await meter.admission(until)).paused_until is None
    assert await meter.exceeded(NOW + timedelta(hours=1)) == until
    told = await _admin_notices(db)
    assert sorted(key.rsplit(":", 1)[1] for key, _ in told) == sorted(  # once, each admin
        [str(granted.id), str(admin)])
    hours = _meter(db, Clock(NOW), 3000, pause=timedelta(hours=6))
    assert await hours.exceeded(NOW.replace(month=11)) == NOW.replace(month=11, hour=9)


async def test_a_broadcast_into_a_quota_that_runs_out_mid_send(
    db: Database, fake: FakeZalo
) -> None:
    """Urgent notices first, admins told once, the rest after the quota renews; 0 lost,
    0 twice; a person with a linked Telegram account gets theirs there instead of waiting."""
    clock = Clock(NOW)
    vt = VirtualTime(clock)
    admin = await _admin(db)
    people = await seed_producers(db, 30, NOW, channel="zalo")
    async with db.transaction() as store:  # the last one also has Telegram, linked
        last = await store.users.get(people[-1])
        assert last is not None and last.producer_id is not None
        linked = await store.users.seen("telegram", "7029", "7029", NOW)
        await store.users.attach_producer(linked.id, last.producer_id)
        for n, uid in enumerate(people):
            await store.outbox.enqueue(OutboxMessage(
                user_id=uid, channel="zalo", chat_id=str(1000 + n), kind="announcement",
                payload={"text": f"Thông báo tập huấn {n}", "format": "plain"},
                dedupe_key=f"bc:1:{uid}", not_before=NOW, broadcast_id=None,
            ), NOW)
    fake.quota = 12  # the plan allows fewer than the bot believes (3 000)
    meter = _meter(db, clock, 3000)
    api = ZaloApi(fake.token, fake.base_url, on_sent=meter.count)
    sender = Sender(db, ZaloTransport(api, meter=meter), Renderer(),
                    policy(rate=50, chat_interval=0), clock=clock, monotonic=vt.monotonic,
                    sleep=vt.sleep, max_in_flight=4, gate=meter)
    for _ in range(2):
        assert await vt.drive(sender.drain_once()) == 4
    async with db.transaction() as store:  # results come out while the broadcast goes
        for n in (20, 21, 22):
            await store.outbox.enqueue(OutboxMessage(
                user_id=people[n], channel="zalo", chat_id=str(1000 + n), kind="notice",
                payload={"text": f"Kết quả hồ sơ {n}", "format": "plain"},
                dedupe_key=f"result:{n}", not_before=clock.now, urgent=True,
            ), clock.now)
    while await vt.drive(sender.drain_once()):
        pass
    delivered = fake.delivered()
    assert len(delivered) == 12
    assert delivered[8:11] == [f"Kết quả hồ sơ {n}" for n in (20, 21, 22)]  # urgent first
    assert [c.method for c in fake.calls()].count("sendMessage") <= 12 + 4  # held, not retried
    exhausted = [key for key, _ in await _admin_notices(db) if ":exhausted:" in key]
    assert exhausted == [f"quota:zalo:2026-12:exhausted:{admin}"]
    async with db.reading() as store:
        moved = await store.outbox.counts("telegram")
    assert moved == {"pending": 2}  # the linked person's announcement, and the admin's notice

    clock.now = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)  # a new month: the plan renews
    fake.reset_quota()
    fake.quota = 40
    while await vt.drive(sender.drain_once()):
        pass
    await api.aclose()
    delivered = fake.delivered()
    announcements = sorted(text for text in delivered if text.startswith("Thông báo"))
    assert announcements == sorted(f"Thông báo tập huấn {n}" for n in range(29))  # 0 lost
    assert len(delivered) == len(set(delivered)) == 29 + 3  # 0 twice
    async with db.reading() as store:
        assert await store.outbox.counts("zalo") == {"sent": 32}
        assert (await store.channel_usage.get("zalo", "2027-01")).used == 20


async def test_a_chat_reply_refused_for_the_quota_pauses_and_stops_typing(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, fake: FakeZalo
) -> None:
    await _admin(db)
    meter = _meter(db, Clock(NOW), 3000)
    api = ZaloApi(fake.token, fake.base_url, on_sent=meter.count)
    bot = ZaloBot(dispatcher, renderer, api, retry_base=0.01,
                  typing_allowed=meter.typing_allowed, on_quota=meter.used_up)
    fake.quota = 1  # "typing…" takes the last one
    await bot.handle_update(text_update("u-9", "/start"))
    assert len(fake.calls("sendChatAction")) == 1 and fake.delivered("u-9") == []
    assert (await meter.admission(NOW)).paused_until is not None
    assert not meter.typing_allowed()
    await bot.handle_update(text_update("u-9", "1"))
    await api.aclose()
    assert len(fake.calls("sendChatAction")) == 1  # no more typing while paused
    assert [key.split(":")[3] for key, _ in await _admin_notices(db)] == ["exhausted"]


async def test_when_little_is_left_only_urgent_messages_go(db: Database, fake: FakeZalo) -> None:
    clock = Clock(NOW)
    vt = VirtualTime(clock)
    people = await seed_producers(db, 7, NOW, channel="zalo")

    async def queue(n: int, kind: str, urgent: bool) -> None:
        async with db.transaction() as store:
            await store.outbox.enqueue(OutboxMessage(
                user_id=people[n], channel="zalo", chat_id=str(1000 + n), kind=kind,
                payload={"text": f"{kind} {n}", "format": "plain"}, dedupe_key=f"{kind}:{n}",
                not_before=clock.now, urgent=urgent,
            ), clock.now)

    for n in range(6):
        await queue(n, "announcement", urgent=False)
    meter = _meter(db, clock, 10, urgent_from=50)  # from 5 of 10 on: urgent only
    api = ZaloApi(fake.token, fake.base_url, on_sent=meter.count)
    sender = Sender(db, ZaloTransport(api, meter=meter), Renderer(),
                    policy(rate=50, chat_interval=0), clock=clock, monotonic=vt.monotonic,
                    sleep=vt.sleep, max_in_flight=1, gate=meter)
    while await vt.drive(sender.drain_once()):
        pass
    assert len(fake.delivered()) == 5
    await queue(6, "notice", urgent=True)  # a result: it goes, the announcement waits
    while await vt.drive(sender.drain_once()):
        pass
    await api.aclose()
    assert fake.delivered()[-1] == "notice 6" and len(fake.delivered()) == 6
    async with db.reading() as store:
        assert await store.outbox.counts("zalo") == {"sent": 6, "pending": 1}
