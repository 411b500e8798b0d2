"""Certificate expiry reminders: 90 and 30 days ahead, once each, a missed one sent once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.feature import ReminderContext, reminder_rules
from handlers.rating.reminders import certificate_expiry
from handlers.rating.rules import add_months, make_result, record
from messages import Renderer
from storage import Database
from storage.product_models import ProductStatus
from tests.products.steps import outbox

START = datetime(2026, 1, 10, 3, 0, tzinfo=UTC)


async def _certified(db: Database, decided: date) -> int:
    async with db.transaction() as store:
        user = await store.users.seen("telegram", "81", "81", START)
        producer = await store.users.create_producer(
            {
                "name": "HTX A",
                "entity_type": "cooperative",
                "contact_person": "Lan",
                "phone": "+84912345678",
                "province_code": "VL",
                "commune": "Xã A",
            },
            START,
        )
        await store.users.attach_producer(user.id, producer)
        pid = await store.products.create_draft(producer, START)
        await store.products.set_field(pid, "name", "Kẹo dừa", START)
        await store.products.set_status(pid, ProductStatus.ACCEPTED, START)
        product = await store.products.get(pid)
        assert product is not None
        result = await make_result(
            store,
            HandlerConfig(),
            product,
            80,
            decision_number="9/QĐ",
            decision_date=decided,
            certificate_number="OCOP-9",
        )
        return await record(store, HandlerConfig(), result, "test", START)


async def _run(db: Database, renderer: Renderer, now: datetime) -> int:
    async with db.transaction() as store:
        return await certificate_expiry(
            ReminderContext(store=store, renderer=renderer, now=now, config=HandlerConfig())
        )


async def test_reminders_at_90_and_30_days_each_once(db: Database, renderer: Renderer) -> None:
    assert certificate_expiry in reminder_rules(FEATURES)
    cert = await _certified(db, date(2023, 6, 1))
    expires = add_months(date(2023, 6, 1), 36)
    assert expires == date(2026, 6, 1)
    at = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 91 days before (Vietnam time)
    assert await _run(db, renderer, at) == 0
    at += timedelta(days=1)
    assert await _run(db, renderer, at) == 1
    assert await _run(db, renderer, at + timedelta(minutes=1)) == 0  # every minute: no repeat
    assert await _run(db, renderer, at + timedelta(days=30)) == 0
    at = datetime(2026, 5, 2, 1, 0, tzinfo=UTC)  # 30 days before
    assert await _run(db, renderer, at) == 1
    assert await _run(db, renderer, at + timedelta(days=1)) == 0
    assert await _run(db, renderer, datetime(2026, 6, 2, 1, 0, tzinfo=UTC)) == 0  # expired
    rows = await outbox(db)
    assert [r["dedupe_key"] for r in rows] == [
        f"cert:{cert}:expiry:90d",
        f"cert:{cert}:expiry:30d",
    ]
    assert all(r["kind"] == "reminder" for r in rows)
    assert "01/06/2026" in rows[0]["payload"]["text"] and "/dangky" in rows[0]["payload"]["text"]


async def test_a_reminder_missed_while_down_is_sent_once(db: Database, renderer: Renderer) -> None:
    cert = await _certified(db, date(2023, 6, 1))
    late = datetime(2026, 5, 20, 1, 0, tzinfo=UTC)  # 12 days left: the 90-day point was missed
    assert await _run(db, renderer, late) == 1
    assert await _run(db, renderer, late + timedelta(hours=5)) == 0
    rows = await outbox(db)
    assert [r["dedupe_key"] for r in rows] == [f"cert:{cert}:expiry:30d"]


def test_months_are_added_like_a_calendar() -> None:
    assert add_months(date(2024, 2, 29), 36) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 31), 36) == date(2029, 1, 31)


async def test_no_reminder_for_a_certificate_replaced_by_a_re_rating(
    db: Database, renderer: Renderer
) -> None:
    await _certified(db, date(2023, 6, 1))
    async with db.transaction() as store:
        user = await store.users.find("telegram", "81")
        assert user is not None and user.producer_id is not None
        (product,) = await store.products.of_producer(user.producer_id)
        await store.products.set_status(product.id, ProductStatus.ACCEPTED, START)
        accepted = await store.products.get(product.id)
        assert accepted is not None
        result = await make_result(
            store,
            HandlerConfig(),
            accepted,
            85,
            decision_number="10/QĐ",
            decision_date=date(2026, 1, 5),
            certificate_number="OCOP-10",
        )
        await record(store, HandlerConfig(), result, "test", START)
    assert await _run(db, renderer, datetime(2026, 5, 2, 1, 0, tzinfo=UTC)) == 0
    assert not [r for r in await outbox(db) if "expiry" in r["dedupe_key"]]
