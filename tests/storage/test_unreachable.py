"""Who cannot be reached, and why, as `outbox status` lists them, on both database engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import Database
from storage.outbox_models import OutboxMessage
from tests.engines import BOTH_ENGINES
from tests.outbox.support import seed_producers

pytestmark = BOTH_ENGINES
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def _row(user_id: int, n: int, when: datetime) -> OutboxMessage:
    return OutboxMessage(user_id=user_id, channel="telegram", chat_id=str(user_id), kind="notice",
                         payload={"text": f"tin {n}", "format": "plain"}, dedupe_key=f"u:{n}",
                         not_before=when)


async def test_each_person_is_listed_once_with_the_latest_refusal_or_the_failing_days(
    db: Database,
) -> None:
    blocked, failing, fine = await seed_producers(db, 3, NOW - timedelta(days=5))
    async with db.transaction() as store:
        for n, (user, when) in enumerate(((blocked, NOW - timedelta(days=4)),
                                          (blocked, NOW - timedelta(days=3)),
                                          (failing, NOW - timedelta(days=4)),
                                          (fine, NOW))):
            await store.outbox.enqueue(_row(user, n, when), when)
        two_days_ago = NOW - timedelta(days=2)
        await store.outbox.mark_dead(1, None, "Forbidden: bot was blocked", two_days_ago)
        await store.outbox.mark_dead(2, None, "Forbidden: user is deactivated", NOW)
        await store.outbox.mark_retry(3, NOW + timedelta(hours=1), "Bad Gateway", NOW)
        await store.outbox.mark_retry(4, NOW + timedelta(hours=1), "Bad Gateway", NOW)
    async with db.reading() as store:
        listed = await store.outbox_health.unreachable(NOW, timedelta(days=3))
    assert [(u.name, u.reason, u.said) for u in listed] == [
        ("HTX 0", "Forbidden: user is deactivated", True),  # the latest of the two, once
        ("HTX 1", "Bad Gateway", False),  # failing since four days ago
    ]
