"""The monthly figures: asked for in chat, queued on the 1st for each officer, once a month."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.feature import ReminderContext
from handlers.figures import FIGURES
from messages import Renderer
from storage import Database
from tests.chat import ChatFor, Clock
from tests.figures.fixture import fill
from tests.rounds.support import officer, outbox


async def _run(db: Database, renderer: Renderer, config: HandlerConfig, now: datetime) -> int:
    queued = 0
    async with db.transaction() as store:
        ctx = ReminderContext(store=store, renderer=renderer, now=now, config=config)
        for rule in FIGURES.reminder_rules:
            queued += await rule(ctx)
    return queued


async def test_monthly_figures_go_to_the_officers_once_a_month(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    async with db.transaction() as store:
        await fill(store)
    first = await officer(db, chat_for, user="off1", province="HP")
    await officer(db, chat_for, user="off2", province="HP")
    await officer(db, chat_for, user="off3", province="HN")
    await first.say("/thongke")
    await first.press("f:monthly_on")
    assert first.templates == ["figures/monthly_on", "figures/screen"]
    assert "f:monthly_off" in first.keys
    path = tmp_path / "ocop.db"
    # 00:05 on 1 January 2027 in Vietnam, then every 30 minutes for three days.
    start = datetime(2026, 12, 31, 17, 5, tzinfo=UTC)
    assert await _run(db, renderer, config, start - timedelta(hours=1)) == 0  # still December
    moment = start
    while moment < start + timedelta(days=3):
        await _run(db, renderer, config, moment)
        moment += timedelta(minutes=30)
    rows = outbox(path, "figures:monthly:")
    assert len(rows) == 2  # the two officers of Hải Phòng, once each; Hà Nội did not ask
    assert {row["dedupe_key"].split(":")[3] for row in rows} == {"HP"}
    text = rows[0]["payload"]["text"]
    assert "Số liệu OCOP tháng 01/2027 — Hải Phòng" in text
    assert "Mới được công nhận năm 2026: <b>2</b>" in text  # the year just ended
    assert await _run(db, renderer, config, datetime(2027, 1, 9, 3, tzinfo=UTC)) == 0
    february = await _run(db, renderer, config, datetime(2027, 1, 31, 17, 30, tzinfo=UTC))
    assert february == 2
    await first.say("/thongke")
    await first.press("f:monthly_off")
    assert await _run(db, renderer, config, datetime(2027, 2, 28, 17, 30, tzinfo=UTC)) == 0
