"""A whole criteria set scored on Zalo through the real adapter and the fake Zalo Bot API:
numbered choices typed as numbers, every message under 2.000 characters, one per screen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.zalo import ZaloBot
from bot.channels.zalo_api import ZaloApi
from fakes.zalo import FakeZalo, text_update
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.assessment.criteria_files import criteria_folder
from tests.assessment.steps import load
from tests.chat import Chat, Clock
from tests.products.steps import register


@pytest.fixture
async def zalo(dispatcher: Dispatcher, renderer: Renderer) -> AsyncIterator[
        tuple[FakeZalo, ZaloBot]]:
    """The Zalo adapter on the test dispatcher, against the fake Zalo Bot API."""
    fake = FakeZalo(poll_cap=1.0)
    await fake.start()
    api = ZaloApi(fake.token, fake.base_url)
    try:
        yield fake, ZaloBot(dispatcher, renderer, api, poll_timeout=1, retry_base=0.01,
                  poll_gap=0.02)
    finally:
        await api.aclose()
        await fake.stop()


async def test_a_whole_set_on_zalo_by_numbers(
    zalo: tuple[FakeZalo, ZaloBot], dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    db: Database, tmp_path: Path,
) -> None:
    fake, bot = zalo
    count = await load(db, criteria_folder(tmp_path))
    setup = Chat(dispatcher, renderer, clock, channel="zalo", user="z-1")
    await setup.onboard()
    await register(setup)
    await bot.handle_update(text_update("z-1", "cham diem"))
    for index in range(1, count + 1):
        screen = fake.texts("z-1")[-1]
        assert f"Tiêu chí {index}/{count}" in screen and "1. Mức 1 · " in screen
        await bot.handle_update(text_update("z-1", "1"))
    texts = fake.texts("z-1")
    assert "Kết quả tự chấm điểm" in texts[-1] and "Báo cáo tự đánh giá (Mẫu 02)" in texts[-1]
    assert all(len(text) <= 2000 for text in texts)
    answered = [t for t in texts if t.startswith("Đã lưu:")]
    assert len(answered) == count  # the "saved" note and the next screen are one message
