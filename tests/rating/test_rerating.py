"""Re-rating notices (window opens 180 days before expiry, 2 weeks before it closes, its last
day 120 days before, after expiry the grace period) and starting a re-rating from the chat."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.feature import ReminderContext, reminder_rules
from handlers.rating.reminders import certificate_rerating
from handlers.rating.rules import add_months, make_result, record
from messages import Renderer
from storage import Database
from storage.models import Role
from storage.product_models import ProductStatus
from tests.chat import Chat, ChatFor, Clock
from tests.products.steps import outbox

START = datetime(2023, 5, 20, 3, 0, tzinfo=UTC)
DECIDED = date(2023, 6, 1)  # expires 01/06/2026


async def _certified(db: Database, user: str = "81") -> int:
    async with db.transaction() as store:
        account = await store.users.seen("telegram", user, user, START)
        producer = await store.users.create_producer(
            {"name": "HTX A", "entity_type": "cooperative", "contact_person": "Lan",
             "phone": "+84912345678", "province_code": "VL", "commune": "Xã A"}, START)
        await store.users.attach_producer(account.id, producer)
        pid = await store.products.create_draft(producer, START)
        await store.products.set_field(pid, "name", "Kẹo dừa", START)
        await store.products.set_field(pid, "application", "first", START)
        await store.products.set_status(pid, ProductStatus.ACCEPTED, START)
        product = await store.products.get(pid)
        assert product is not None
        result = await make_result(store, HandlerConfig(), product, 80, decision_number="9/QĐ",
                                   decision_date=DECIDED, certificate_number="OCOP-9")
        return await record(store, HandlerConfig(), result, "test", START)


async def _run(db: Database, renderer: Renderer, day: date) -> int:
    now = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
    async with db.transaction() as store:
        return await certificate_rerating(
            ReminderContext(store=store, renderer=renderer, now=now, config=HandlerConfig()))


async def test_the_four_notices_each_once_on_their_days(db: Database, renderer: Renderer) -> None:
    assert certificate_rerating in reminder_rules(FEATURES)
    cert = await _certified(db)
    expires = add_months(DECIDED, 36)
    assert expires == date(2026, 6, 1)
    day = expires - timedelta(days=181)
    assert await _run(db, renderer, day) == 0  # the window is not open yet
    sent = {}
    while day <= expires + timedelta(days=200):
        if await _run(db, renderer, day):
            sent[(expires - day).days] = (await outbox(db))[-1]
        assert await _run(db, renderer, day) == 0  # every minute of the day: no repeat
        day += timedelta(days=1)
    assert list(sent) == [180, 134, 120, -1]
    keys = [row["dedupe_key"] for row in sent.values()]
    assert keys == [f"cert:{cert}:rerating:{s}" for s in ("open", "closing", "last", "expired")]
    opened, closing, last, lapsed = (row["payload"]["text"] for row in sent.values())
    assert "Từ hôm nay anh/chị có thể nộp hồ sơ" in opened and "03/12/2025" in opened
    assert "01/02/2026" in opened and "26/2026/QĐ-TTg" in opened and "Đánh giá lại" in opened
    assert "Còn 2 tuần" in closing and "01/02/2026" in closing
    assert "Hôm nay, <b>01/02/2026</b>, là ngày cuối" in last
    assert "hết hạn ngày 01/06/2026" in lapsed and "28/11/2026" in lapsed  # 180 days of grace


async def test_a_notice_missed_while_down_is_the_nearest_one_only(
    db: Database, renderer: Renderer
) -> None:
    cert = await _certified(db)
    assert await _run(db, renderer, date(2026, 3, 1)) == 1  # 92 days left: the window closed
    assert await _run(db, renderer, date(2026, 3, 2)) == 0
    [row] = await outbox(db)
    assert row["dedupe_key"] == f"cert:{cert}:rerating:last"
    assert "đã kết thúc ngày 01/02/2026" in row["payload"]["text"]
    assert "vẫn nộp được hồ sơ đánh giá lại" in row["payload"]["text"]


async def test_a_corrected_rule_moves_the_window(db: Database, renderer: Renderer) -> None:
    await _certified(db)
    async with db.transaction() as store:
        await store.rules.correct("rerating_opens_days", "200", "cli", START)
    assert await _run(db, renderer, date(2026, 6, 1) - timedelta(days=200)) == 1


async def test_starting_a_re_rating_from_the_chat_keeps_the_answers_and_stops_notices(
    db: Database, renderer: Renderer, chat_for: ChatFor, clock: Clock
) -> None:
    cert = await _certified(db)
    clock.now = datetime(2025, 12, 10, 3, 0, tzinfo=UTC)  # the window is open
    lan: Chat = chat_for("81")
    await lan.say("/sanpham")
    await lan.say("Kẹo dừa")
    assert "hiệu lực đến 01/06/2026" in lan.text and "v:rerate" in lan.keys
    await lan.press("v:rerate")
    assert "products/rerating_started" in lan.templates and "OCOP-9" in lan.text
    async with db.reading() as store:
        latest = await store.certifications.latest_for(1)
        product = await store.products.get(1)
    assert latest is not None and latest.id == cert  # the certificate still counts
    assert product is not None and product.status is ProductStatus.DRAFT
    assert (product.application, product.current_stars, product.current_certificate) == (
        "rerating", 4, "OCOP-9")
    assert product.name == "Kẹo dừa"
    assert await _run(db, renderer, date(2026, 1, 20)) == 0  # no "closing" reminder any more


async def test_an_expired_certificate_reads_expired_with_the_prompt(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    await _certified(db)
    clock.now = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
    lan = chat_for("81")
    await lan.say("/sanpham")
    await lan.say("Kẹo dừa")
    assert "hết hạn ngày 01/06/2026" in lan.text and "hiệu lực đến" not in lan.text
    assert "v:rerate" in lan.keys  # within the grace period
    await lan.press("v:cert")
    assert "Hết hạn ngày 01/06/2026" in lan.text and "Đánh giá lại" in lan.text
    clock.now = datetime(2027, 1, 1, 3, 0, tzinfo=UTC)  # the grace period is over
    await lan.say("/sanpham")
    await lan.say("Kẹo dừa")
    assert "v:rerate" not in lan.keys


async def test_the_figures_count_an_expired_certificate_apart(
    db: Database, chat_for: ChatFor
) -> None:
    await _certified(db)
    async with db.reading() as store:
        before = await store.figures.province_summary("VL", 2026, date(2026, 5, 31))
        after = await store.figures.province_summary("VL", 2026, date(2026, 6, 2))
    assert (before.in_force.total, before.expired) == (1, 0)
    assert (after.in_force.total, after.expired) == (0, 1)
    off = chat_for("off9")
    await off.say("/menu")
    async with db.transaction() as store:
        user = await store.users.find("telegram", "off9")
        assert user is not None
        await store.users.grant(user.id, Role.OFFICER, "VL", "test", START)
    await off.say("/thongke")
    assert "Đã hết hạn, chưa đánh giá lại" in off.text
