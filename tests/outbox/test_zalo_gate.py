"""A person is given up on only on evidence: days of failures while Zalo delivers to others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.channels.zalo_quota import QuotaMeter, QuotaPlan
from bot.outbox.zalo_gate import ZaloGate
from messages import Renderer
from storage import Database
from storage.outbox_models import OutboxMessage
from tests.chat import Clock
from tests.outbox.support import ZONE, seed_producers

NOW = datetime(2026, 12, 20, 3, 0, tzinfo=UTC)


async def _queue(db: Database, uid: int, key: str, at: datetime) -> None:
    async with db.transaction() as store:
        await store.outbox.enqueue(OutboxMessage(
            user_id=uid, channel="zalo", chat_id=str(uid), kind="notice",
            payload={"text": key, "format": "plain"}, dedupe_key=key, not_before=at,
        ), at)


async def _states(db: Database) -> dict[str, str]:
    async with db.reading() as store, store.outbox._db.execute(
        "SELECT dedupe_key, status FROM outbox ORDER BY id"
    ) as cur:
        return {row[0]: row[1] for row in await cur.fetchall()}


def _gate(db: Database) -> ZaloGate:
    plan = QuotaPlan(limit=3000, zone=ZONE)
    return ZaloGate(QuotaMeter(db, Renderer(), plan, clock=Clock(NOW)))


async def test_days_of_failures_while_others_receive_theirs_give_a_person_up(
    db: Database,
) -> None:
    gone, fine, back = await seed_producers(db, 3, NOW - timedelta(days=5), channel="zalo")
    old = NOW - timedelta(days=4)
    for uid, key in ((gone, "gone-1"), (back, "back-1")):
        await _queue(db, uid, key, old)
    await _queue(db, gone, "gone-2", NOW - timedelta(days=1))
    await _queue(db, fine, "fine-1", NOW - timedelta(hours=3))
    await _queue(db, back, "back-2", NOW - timedelta(days=2))
    async with db.transaction() as store:
        for row_id in (1, 2):  # failing for 4 days: 403 "Internal server error"
            await store.outbox.mark_retry(row_id, NOW, "403 Internal server error", NOW)
        await store.outbox.mark_sent(4, NOW - timedelta(hours=2), "s1")  # Zalo works
        await store.outbox.mark_sent(5, NOW - timedelta(days=1), "s2")  # `back` got one since
    assert await _gate(db).give_up_failing(NOW) == 1
    assert await _states(db) == {"gone-1": "dead", "back-1": "retry", "gone-2": "dead",
                                 "fine-1": "sent", "back-2": "sent"}
    async with db.reading() as store:
        person = await store.users.get(gone)
        listed = await store.outbox_health.unreachable(NOW, timedelta(days=3))
    assert person is not None and not person.active
    assert listed[0].said and listed[0].reason == (
        "no delivery for 3 days: 403 Internal server error")


async def test_an_outage_gives_nobody_up(db: Database) -> None:
    """Nothing delivered to anyone in the last day: Zalo is down, not the person gone."""
    [gone] = await seed_producers(db, 1, NOW - timedelta(days=5), channel="zalo")
    await _queue(db, gone, "gone-1", NOW - timedelta(days=4))
    async with db.transaction() as store:
        await store.outbox.mark_retry(1, NOW, "403 Internal server error", NOW)
    gate = _gate(db)
    assert await gate.give_up_failing(NOW) == 0
    assert (await gate.admission(NOW)).paused_until is None
    assert await _states(db) == {"gone-1": "retry"}


async def test_while_paused_what_waits_moves_to_a_linked_telegram_account_hourly(
    db: Database,
) -> None:
    [person] = await seed_producers(db, 1, NOW, channel="zalo")
    async with db.transaction() as store:
        await store.channel_usage.pause("zalo", "2026-12", NOW + timedelta(days=11), NOW)
        zalo = await store.users.get(person)
        assert zalo is not None and zalo.producer_id is not None
        linked = await store.users.seen("telegram", "42", "42", NOW)
        await store.users.attach_producer(linked.id, zalo.producer_id)
    gate = _gate(db)
    assert (await gate.admission(NOW)).paused_until is not None
    await _queue(db, person, "later", NOW + timedelta(minutes=5))
    await gate.admission(NOW + timedelta(minutes=10))  # within the hour: not yet
    async with db.reading() as store:
        assert await store.outbox.counts("telegram") == {}
    await gate.admission(NOW + timedelta(hours=1))
    async with db.reading() as store:
        assert await store.outbox.counts("telegram") == {"pending": 1}
        assert await store.outbox.counts("zalo") == {}
