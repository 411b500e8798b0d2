"""An outage of the Bot API (5xx for days) on a simulated clock: nothing relevant is lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.outbox.sender import Sender
from bot.outbox.telegram import TelegramTransport
from fakes.telegram import TOKEN, FakeTelegram
from handlers.engine.config import HandlerConfig
from handlers.rating.rules import make_result, record, tell_producer
from messages import Renderer
from storage import Database
from storage.product_models import ProductStatus
from storage.timefmt import to_db
from tests.broadcasts.test_flow import send_now
from tests.chat import ChatFor, Clock
from tests.outbox.support import VirtualTime, policy
from tests.rounds import support
from tests.rounds.test_flow import local, make_round
from tests.trainings.test_flow import make_training

NO_QUIET = (time(0), time(0))


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API, in this test's event loop."""
    async with FakeTelegram() as server:
        yield server


async def certified_producer(db: Database, now: datetime) -> tuple[int, int]:
    """A producer on Telegram (chat 81) whose product was just certified: (producer, cert)."""
    async with db.transaction() as store:
        user = await store.users.seen("telegram", "81", "81", now)
        producer = await store.users.create_producer(
            {"name": "HTX A", "entity_type": "cooperative", "contact_person": "Lan",
             "phone": "+84912345678", "province_code": "VL", "commune": "Xã A"},
            now,
        )
        await store.users.attach_producer(user.id, producer)
        await store.users.give_consent(user.id, now)
        pid = await store.products.create_draft(producer, now)
        await store.products.set_field(pid, "name", "Kẹo dừa", now)
        await store.products.set_status(pid, ProductStatus.ACCEPTED, now)
        product = await store.products.get(pid)
        assert product is not None
        result = await make_result(
            store, HandlerConfig(), product, 80, decision_number="9/QĐ",
            decision_date=date(2026, 11, 30), certificate_number="OCOP-9",
        )
        return producer, await record(store, HandlerConfig(), result, "test", now)


async def sender_on(db: Database, fake: FakeTelegram, vt: VirtualTime,
                    quiet: tuple[time, time] = NO_QUIET) -> tuple[Sender, TelegramTransport]:
    """The real Telegram transport against the fake, driven by a sender on virtual time."""
    transport = TelegramTransport(TOKEN, fake.base_url)
    await transport.start()
    sender = Sender(db, transport, Renderer(), policy(quiet=quiet), clock=vt.clock,
                    monotonic=vt.monotonic, sleep=vt.sleep)
    return sender, transport


async def run_until(sender: Sender, db: Database, vt: VirtualTime, until: datetime) -> None:
    """Send what is due, then jump the clock to the next due row, until `until`."""
    clock = vt.clock
    while clock.now < until:
        await vt.drive(sender.drain_once())
        async with db.transaction() as store:
            due = await store.outbox.next_due("telegram")
        if due is None:
            return
        clock.now = min(max(due, clock.now + timedelta(seconds=1)), until)


def attempts(fake: FakeTelegram, chat: str) -> int:
    """Send requests that reached the fake for one chat, answered or refused."""
    return len([c for c in fake.calls("sendMessage", rejected=True)
                if str(c.params.get("chat_id")) == chat]) + len(fake.sent_to(chat))


async def test_a_certification_notice_survives_a_three_day_outage_and_arrives_once(
    db: Database, clock: Clock, renderer: Renderer, fake: FakeTelegram, tmp_path: Path
) -> None:
    producer, cert = await certified_producer(db, clock())
    async with db.transaction() as store:
        assert await tell_producer(store, renderer, producer, [cert], clock())
    [row] = support.outbox(tmp_path / "ocop.db", "cert:")
    assert row["expires_at"] == to_db(clock() + timedelta(days=7))  # relevant for a week
    vt = VirtualTime(clock)
    sender, transport = await sender_on(db, fake, vt)
    try:
        fake.outage(502)
        back = clock() + timedelta(days=3)
        await run_until(sender, db, vt, back)
        [row] = support.outbox(tmp_path / "ocop.db", "cert:")
        assert row["status"] == "retry" and "Bad Gateway" in row["last_error"]
        tries = attempts(fake, "81")
        # capped backoff: about one try every 10 minutes for three days, not five in 30 s
        assert 3 * 24 * 6 - 20 <= tries <= 3 * 24 * 6 + 20, tries
        fake.end_outage()
        await run_until(sender, db, vt, back + timedelta(days=1))
    finally:
        await transport.stop()
    assert len(fake.sent_to("81")) == 1
    assert "Kẹo dừa" in fake.sent_to("81")[0].params["text"]
    [row] = support.outbox(tmp_path / "ocop.db", "cert:")
    assert row["status"] == "sent"
    assert row["sent_at"] <= to_db(back + timedelta(minutes=10))  # soon after it came back


async def test_a_training_reminder_stops_being_retried_once_the_training_began(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock,
    config: HandlerConfig, fake: FakeTelegram, tmp_path: Path,
) -> None:
    training_id = await make_training(db, clock)
    farmer = await support.producer(chat_for, user="101")
    await farmer.say("/taphuan")
    await farmer.press(f"t:{training_id}")
    await farmer.press("en")
    async with db.transaction() as store:
        training = await store.trainings.get(training_id)
    assert training is not None
    clock.now = training.starts_at - timedelta(hours=20)
    assert await support.run_reminders(db, renderer, config, clock.now) == 1
    [row] = support.outbox(tmp_path / "ocop.db", f"training:{training_id}:start")
    assert row["expires_at"] == to_db(training.starts_at)  # relevant until the class starts
    before = len(fake.sent_to("101"))
    vt = VirtualTime(clock)
    sender, transport = await sender_on(db, fake, vt)
    try:
        fake.outage(503)
        await run_until(sender, db, vt, training.starts_at + timedelta(minutes=1))
        tries = attempts(fake, "101")
        await run_until(sender, db, vt, training.starts_at + timedelta(days=2))
        assert attempts(fake, "101") == tries  # no try after the training began
        fake.end_outage()
        await run_until(sender, db, vt, training.starts_at + timedelta(days=3))
    finally:
        await transport.stop()
    assert len(fake.sent_to("101")) == before  # the stale reminder never went
    [row] = support.outbox(tmp_path / "ocop.db", f"training:{training_id}:start")
    assert row["status"] == "failed" and row["last_error"].startswith("expired")
    assert row["last_error"] == "expired: Service Unavailable"  # with the last error seen


async def test_a_bad_request_still_fails_at_once(
    db: Database, clock: Clock, renderer: Renderer, fake: FakeTelegram, tmp_path: Path
) -> None:
    producer, cert = await certified_producer(db, clock())
    async with db.transaction() as store:
        assert await tell_producer(store, renderer, producer, [cert], clock())
    vt = VirtualTime(clock)
    sender, transport = await sender_on(db, fake, vt)
    try:
        fake.outage(400)
        await run_until(sender, db, vt, clock() + timedelta(days=1))
    finally:
        await transport.stop()
    [row] = support.outbox(tmp_path / "ocop.db", "cert:")
    assert row["status"] == "failed" and not row["last_error"].startswith("expired")
    assert attempts(fake, "81") == 1


async def test_every_kind_of_row_carries_its_relevance_deadline(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await support.producer(chat_for, user="101")
    farmer = await support.producer_id(db, "101")
    await support.product(db, farmer, "Đã gửi", clock())
    round_id = await make_round(db, clock, opens=local(1, 12, hour=12))
    async with db.transaction() as store:
        rnd = await store.rounds.get(round_id)
    assert rnd is not None
    officer = await support.officer(db, chat_for, user="555")
    await send_now(officer, "Hạn nộp hồ sơ OCOP đợt II: 20/12.")
    queued_at = clock()
    clock.now = rnd.registration_deadline - timedelta(days=6)
    await support.run_reminders(db, renderer, config, clock.now)

    path = tmp_path / "ocop.db"
    [reminder] = support.outbox(path, f"round:{round_id}:registration")
    assert reminder["expires_at"] == to_db(rnd.registration_deadline)  # until the deadline
    rows = support.outbox(path, "broadcast:1:")
    assert {r["kind"] for r in rows} == {"announcement", "progress"}
    assert {r["expires_at"] for r in rows} == {to_db(queued_at + timedelta(days=3))}
