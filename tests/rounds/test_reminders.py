"""Round deadline reminders on an injected clock: right times, once, also across a restart."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from handlers.engine.config import HandlerConfig
from messages import Renderer
from storage import Database, open_database
from storage.round_models import NewRound
from tests.chat import ChatFor, Clock
from tests.rounds import support
from tests.rounds.test_flow import local, make_round


def first_seen(path: Path, prefix: str) -> dict[str, datetime]:
    """When each outbox row under `prefix` was queued, by dedupe key."""
    return {
        row["dedupe_key"]: datetime.fromisoformat(row["created_at"].replace("Z", "+00:00"))
        for row in support.outbox(path, prefix)
    }


async def test_round_reminders_come_at_the_right_times_and_only_once(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await support.producer(chat_for, user="101")  # draft + submitted, none in
    await support.producer(chat_for, user="102", name="HTX B")  # entered
    await support.producer(chat_for, user="103", name="HTX C")  # all done
    a, b, c = [await support.producer_id(db, u) for u in ("101", "102", "103")]
    await support.product(db, a, "Nháp", clock(), status=support.ProductStatus.DRAFT)
    await support.product(db, a, "Đã gửi", clock())
    entered_b = await support.product(db, b, "Mật ong", clock())
    entered_c = await support.product(db, c, "Bánh", clock())
    round_id = await make_round(db, clock, opens=local(1, 12, hour=12))
    async with db.transaction() as store:
        rnd = await store.rounds.get(round_id)
        assert rnd is not None
        for pid in (entered_b, entered_c):
            found = await store.rounds.product(pid)
            assert found is not None
            await store.rounds.enter(round_id, found, clock())
        for item in await store.catalog.dossier_items("food"):  # C's dossier is complete
            await store.products.mark_item(entered_c, item.code, "paper", clock())

    path = tmp_path / "ocop.db"
    step = timedelta(hours=1)
    while clock.now < local(2, 1, 2027):
        await support.run_reminders(db, renderer, config, clock.now)
        clock.advance(hours=1)

    registration = first_seen(path, f"round:{round_id}:registration")
    assert sorted(registration) == [
        f"round:{round_id}:registration:202612151659:1d:producer:{a}",
        f"round:{round_id}:registration:202612151659:7d:producer:{a}",
    ]
    deadline = rnd.registration_deadline
    seven = registration[f"round:{round_id}:registration:202612151659:7d:producer:{a}"]
    one = registration[f"round:{round_id}:registration:202612151659:1d:producer:{a}"]
    assert deadline - timedelta(days=7) <= seven < deadline - timedelta(days=7) + step
    assert deadline - timedelta(days=1) <= one < deadline - timedelta(days=1) + step

    dossier = support.outbox(path, f"round:{round_id}:dossier")
    keys = sorted(row["dedupe_key"] for row in dossier)
    assert keys == [
        f"round:{round_id}:dossier:202612311659:1d:product:{entered_b}",
        f"round:{round_id}:dossier:202612311659:7d:product:{entered_b}",
    ]
    assert {row["user_id"] for row in dossier} == {await support.user_id(db, "102")}
    texts = [row["payload"]["text"] for row in dossier if f"product:{entered_b}" in
             row["dedupe_key"]]
    assert all("Mật ong" in text and "•" in text for text in texts)
    assert all(row["kind"] == "reminder" for row in dossier)

    # Running again, and after a restart on the same file, queues nothing new.
    assert await support.run_reminders(db, renderer, config, local(14, 12, hour=18)) == 0
    async with open_database(path) as again:
        assert await support.run_reminders(again, renderer, config, local(14, 12, hour=18)) == 0
        assert await support.run_reminders(again, renderer, config, local(30, 12, hour=18)) == 0
    assert len(support.outbox(path, f"round:{round_id}:")) == 4


async def test_a_reminder_missed_while_down_is_sent_once_on_return(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await support.producer(chat_for, user="101")
    await support.product(db, await support.producer_id(db, "101"), "Đã gửi", clock())
    round_id = await make_round(db, clock, opens=local(1, 12, hour=12))
    # The bot was down from 01/12 until 11/12: the 7-day reminder is still relevant then.
    back = local(11, 12, hour=9)
    assert await support.run_reminders(db, renderer, config, back) == 1
    assert await support.run_reminders(db, renderer, config, back + timedelta(minutes=1)) == 0
    rows = support.outbox(tmp_path / "ocop.db", f"round:{round_id}:registration")
    assert [row["dedupe_key"].split(":")[4] for row in rows] == ["7d"]
    # Down again across the 1-day mark and past the deadline: nothing stale is sent.
    assert await support.run_reminders(db, renderer, config, local(16, 12, hour=9)) == 0


async def test_offsets_are_settings(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock, tmp_path: Path
) -> None:
    await support.producer(chat_for, user="101")
    await support.product(db, await support.producer_id(db, "101"), "Đã gửi", clock())
    round_id = await make_round(db, clock, opens=local(1, 12, hour=12))
    config = HandlerConfig(round_reminder_days=(3,))
    assert await support.run_reminders(db, renderer, config, local(11, 12, hour=9)) == 0
    assert await support.run_reminders(db, renderer, config, local(13, 12, hour=9)) == 1
    [row] = support.outbox(tmp_path / "ocop.db", f"round:{round_id}:registration")
    assert ":3d:" in row["dedupe_key"]


async def test_no_registration_reminder_for_a_product_that_cannot_be_entered(
    db: Database,
    chat_for: ChatFor,
    renderer: Renderer,
    clock: Clock,
    config: HandlerConfig,
    tmp_path: Path,
) -> None:
    await support.producer(chat_for, user="101")  # in another round already
    await support.producer(chat_for, user="102", name="HTX B")  # first rating
    await support.producer(chat_for, user="103", name="HTX C")  # re-rating
    a, b, c = [await support.producer_id(db, u) for u in ("101", "102", "103")]
    elsewhere = await support.product(db, a, "Mật ong", clock())
    await support.product(db, b, "Bánh", clock())
    rerating = await support.product(db, c, "Nước mắm", clock())
    earlier = await make_round(db, clock, name="Đợt I năm 2026", opens=local(1, 12, hour=12))
    later = NewRound(
        name="Đợt tái đánh giá",
        province_code="VL",
        kinds=("rerating", "upgrade"),
        registration_opens_at=local(1, 12, hour=12),
        registration_deadline=local(15, 12, hour=23, minute=59),
        dossier_deadline=local(31, 12, hour=23, minute=59),
        council_at=local(15, 1, 2027, 8),
        results_at=local(1, 2, 2027, 8),
    )
    async with db.transaction() as store:
        later_id = await store.rounds.create(later, "test", clock())
        found = await store.rounds.product(elsewhere)
        assert found is not None
        await store.rounds.enter(earlier, found, clock())
        await store.products.set_field(rerating, "application", "rerating", clock())
    await support.run_reminders(db, renderer, config, local(15, 12, hour=8))
    path = tmp_path / "ocop.db"
    keys = [row["dedupe_key"] for row in support.outbox(path, f"round:{later_id}:registration")]
    assert keys == [f"round:{later_id}:registration:202612151659:1d:producer:{c}"]
    keys = [row["dedupe_key"] for row in support.outbox(path, f"round:{earlier}:registration")]
    assert sorted(keys) == sorted(
        f"round:{earlier}:registration:202612151659:1d:producer:{p}" for p in (b, c)
    )


async def test_a_reminder_says_the_days_really_left(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await support.producer(chat_for, user="101")
    await support.product(db, await support.producer_id(db, "101"), "Bánh", clock())
    round_id = await make_round(db, clock, opens=local(1, 12, hour=12))
    # The round is first seen 3 days before its registration deadline (15/12 23:59).
    await support.run_reminders(db, renderer, config, local(12, 12, hour=23, minute=30))
    [row] = support.outbox(tmp_path / "ocop.db", f"round:{round_id}:registration")
    assert ":7d:" in row["dedupe_key"]  # the 7-day point, sent late once
    assert "Còn 3 ngày" in row["payload"]["text"], row["payload"]["text"]
