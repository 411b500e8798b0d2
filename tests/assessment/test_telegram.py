"""A whole criteria set scored on Telegram through the real adapter and the fake Bot API: every
screen is HTML Telegram accepts, with buttons, and the report arrives as a document."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramChannel
from bot.core import Core, open_core
from fakes.telegram import FakeTelegram
from storage.criteria_files import parse_criteria, read_folder
from tests.assessment.criteria_files import criteria_folder
from tests.channels.test_telegram_e2e import TgUser, assert_clean, telegram_settings


@pytest.fixture
async def telegram(tmp_path: Path) -> AsyncIterator[tuple[FakeTelegram, Core]]:
    """The Telegram channel long-polling the fake Bot API, on a database under tmp_path."""
    async with FakeTelegram() as fake, open_core(telegram_settings(fake, tmp_path)) as core:
        channel = TelegramChannel(core)
        await channel.start()
        try:
            yield fake, core
        finally:
            await channel.stop()


async def _product_of(core: Core, user_id: int) -> int:
    """A food product of set 7 for the Telegram user's producer."""
    now = datetime.now(UTC)
    async with core.db.transaction() as store:
        user = await store.users.find("telegram", str(user_id))
        assert user is not None and user.producer_id is not None
        pid = await store.products.create_draft(user.producer_id, now)
        await store.products.set_field(pid, "name", "Kẹo dừa Tân Phú", now)
        await store.products.set_field(pid, "group_code", "food", now)
        await store.products.set_field(pid, "set_code", "food07", now)
        return pid


async def test_a_whole_set_on_telegram_with_buttons(
    telegram: tuple[FakeTelegram, Core], tmp_path: Path
) -> None:
    fake, core = telegram
    bundle = parse_criteria(read_folder(criteria_folder(tmp_path)))
    async with core.db.transaction() as store:
        await store.criteria.load(bundle, "test", datetime.now(UTC))
    count = len(next(s for s in bundle.sets if s.set_no == 7).scored)
    lan = TgUser(fake, 551)
    for text in ("bat dau", "1", "1", "HTX Tan Phu", "3", "Nguyen Thi Lan", "0912345678",
                 "vinh long", "xa tan phu", "1"):
        await lan.say(text)
    await _product_of(core, 551)
    await lan.say("chấm điểm")
    screens = 0
    while "o:unsure" in lan.keys:
        screens += 1
        assert any(f"/{count} — Kẹo dừa Tân Phú" in text for text in lan.texts)
        levels = [key for key in lan.keys if key.split(":")[1].isdigit()]
        await lan.press(levels[0])
    assert screens == count
    assert "r:report" in lan.keys and any("Tổng:" in text for text in lan.texts)
    await lan.press("r:report")
    documents = fake.calls("sendDocument")
    assert len(documents) == 1 and documents[0].params["chat_id"] in (551, "551")
    assert_clean(fake)
