"""A person's settings are read again when a message is sent, not only when it was queued:
`ocop-bot outbox retry` after an outage never reaches someone who since said "dừng"."""

from __future__ import annotations

from datetime import timedelta

from handlers.common.notify import set_wanted
from storage import Database
from storage.outbox_models import OutboxMessage
from storage.timefmt import to_db
from tests.chat import Clock
from tests.outbox.support import (
    RecordingTransport,
    VirtualTime,
    drain,
    make_sender,
    policy,
    seed_producers,
)


async def _queue(db: Database, uid: int, kind: str, key: str, clock: Clock,
                 broadcast: int | None = None) -> None:
    async with db.transaction() as store:
        user = await store.users.get(uid)
        assert user is not None
        await store.outbox.enqueue(OutboxMessage(
            user_id=uid, channel="telegram", chat_id=user.chat_id, kind=kind,
            payload={"text": key, "format": "html"}, dedupe_key=key, not_before=clock(),
            broadcast_id=broadcast, expires_at=clock() + timedelta(hours=2),
        ), clock())


async def _broadcast(db: Database, clock: Clock) -> int:
    async with db.transaction() as store:
        conn = store.outbox._db
        cur = await conn.execute(
            "INSERT INTO broadcasts (actor, province_code, text, not_before, created_at)"
            " VALUES ('telegram:555', 'VL', 'Hội chợ', ?, ?)",
            (to_db(clock()), to_db(clock())))
        assert cur.lastrowid is not None
        return cur.lastrowid


async def test_retried_rows_skip_people_who_turned_them_off_or_deleted_their_data(
    db: Database, clock: Clock
) -> None:
    keeps, stops, stops_reminders, deleted = await seed_producers(db, 4, clock())
    broadcast = await _broadcast(db, clock)
    for uid in (keeps, stops, deleted):
        await _queue(db, uid, "announcement", f"ann:{uid}", clock, broadcast)
    await _queue(db, keeps, "reminder", f"rem:{keeps}", clock)
    await _queue(db, stops_reminders, "reminder", f"rem:{stops_reminders}", clock)
    await _queue(db, stops, "notice", f"notice:{stops}", clock)
    async with db.transaction() as store:  # an outage: every row expired unsent
        for row_id in range(1, 7):
            await store.outbox.mark_expired(row_id, "Bad Gateway", clock())
    clock.advance(hours=3)
    async with db.transaction() as store:  # meanwhile "dừng", and a /xoadulieu
        for uid, what in ((stops, "announcements_on"), (stops_reminders, "reminders_on")):
            user = await store.users.get(uid)
            assert user is not None
            await set_wanted(store, user, clock(), **{what: False})
        await store.outbox.forget_user(deleted)  # its broadcast row stays, for the counts
        await store.users.forget(deleted)
        assert await store.outbox_health.requeue(clock(), include_failed=False) == 6
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    await drain(make_sender(db, transport, vt, policy()), vt)
    sent = sorted(text for _, _, text in transport.delivered)
    assert sent == sorted([f"ann:{keeps}", f"rem:{keeps}", f"notice:{stops}"])
    async with db.reading() as store:
        assert await store.outbox.counts() == {"sent": 3, "cancelled": 3}
