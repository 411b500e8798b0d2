"""Training reminders (1 day and 2 hours before) on an injected clock, once, across a restart."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from handlers.engine.config import HandlerConfig
from messages import Renderer
from storage import Database, open_database
from tests.chat import ChatFor, Clock
from tests.rounds import support
from tests.trainings.test_flow import make_training


async def test_training_reminders_reach_the_enrolled_at_the_right_times(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    training_id = await make_training(db, clock, capacity=1)
    enrolled = await support.producer(chat_for, user="101")
    waiting = await support.producer(chat_for, user="102", name="HTX B")
    for chat, key in ((enrolled, "en"), (waiting, "wl")):
        await chat.say("/taphuan")
        await chat.press(f"t:{training_id}")
        await chat.press(key)
    path = tmp_path / "ocop.db"
    async with db.transaction() as store:
        training = await store.trainings.get(training_id)
    assert training is not None and training.waiting == 1
    seen: dict[str, datetime] = {}
    step = timedelta(minutes=15)
    clock.now = training.starts_at - timedelta(days=3)
    while clock.now < training.starts_at + timedelta(hours=2):
        await support.run_reminders(db, renderer, config, clock.now)
        for row in support.outbox(path, f"training:{training_id}:start"):
            seen.setdefault(row["dedupe_key"], clock.now)
        clock.advance(minutes=15)
    user = await support.user_id(db, "101")
    day_key = f"training:{training_id}:start:202612150130:24h:user:{user}"
    hours_key = f"training:{training_id}:start:202612150130:2h:user:{user}"
    assert sorted(seen) == sorted([day_key, hours_key])  # nobody on the waiting list
    start = training.starts_at
    assert start - timedelta(hours=24) <= seen[day_key] < start - timedelta(hours=24) + step
    assert start - timedelta(hours=2) <= seen[hours_key] < start - timedelta(hours=2) + step
    rows = support.outbox(path, f"training:{training_id}:start")
    assert all(row["not_before"] <= row["created_at"] for row in rows)  # quiet hours: sender's
    assert "08:30" in rows[0]["payload"]["text"] and "Hội trường" in rows[0]["payload"]["text"]

    async with open_database(path) as again:  # a restart: nothing is queued twice
        moment = start - timedelta(hours=1)
        assert await support.run_reminders(again, renderer, config, moment) == 0
    assert len(support.outbox(path, f"training:{training_id}:start")) == 2


async def test_no_reminder_for_a_cancelled_training_or_a_cancelled_place(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    kept = await make_training(db, clock)
    dropped = await make_training(db, clock)
    farmer = await support.producer(chat_for)
    for training_id in (kept, dropped):
        await farmer.say("/taphuan")
        await farmer.press(f"t:{training_id}")
        await farmer.press("en")
    cancel_key = next(k for k in farmer.keys if k.startswith("x:"))
    await farmer.press(cancel_key)  # leaves `dropped`
    await farmer.press("lv:yes")
    async with db.transaction() as store:
        training = await store.trainings.get(kept)
        assert training is not None
        await store.trainings.cancel(kept, clock())
    moment = training.starts_at - timedelta(hours=1)
    assert await support.run_reminders(db, renderer, config, moment) == 0
    assert support.outbox(tmp_path / "ocop.db", "training:") == []


async def test_a_training_later_today_is_announced_for_today_not_tomorrow(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    training_id = await make_training(db, clock)  # 08:30 on 15/12/2026 (Vietnam time)
    farmer = await support.producer(chat_for)
    await farmer.say("/taphuan")
    await farmer.press(f"t:{training_id}")
    await farmer.press("en")
    async with db.transaction() as store:
        training = await store.trainings.get(training_id)
    assert training is not None
    # Enrolled, or the reminder first runs, at 00:30 the same day: the 24-hour reminder is due.
    await support.run_reminders(db, renderer, config, training.starts_at - timedelta(hours=8))
    [row] = support.outbox(tmp_path / "ocop.db", f"training:{training_id}:start")
    text = row["payload"]["text"]
    assert "hôm nay" in text and "ngày mai" not in text and "8 giờ" in text
