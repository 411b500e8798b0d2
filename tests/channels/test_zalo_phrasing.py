"""Zalo: numbered lists say to type the number; sentences at the claim step; a photo sent at
the dossier checklist; training enrolment without a calendar file Zalo cannot carry."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.channels.zalo import ZaloBot
from bot.channels.zalo_api import ZaloApi
from fakes.zalo import FakeZalo, image_update, text_update
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.channels.test_zalo import fake
from tests.chat import Clock
from tests.claims.test_claim_flow import load_list
from tests.trainings.test_flow import make_training

__all__ = ["fake"]  # the fake Zalo Bot API fixture, shared with the adapter's tests


@pytest.fixture
async def bot(
    fake: FakeZalo, dispatcher: Dispatcher, renderer: Renderer
) -> AsyncIterator[ZaloBot]:
    """The Zalo adapter on the test dispatcher, talking to the fake over HTTP."""
    api = ZaloApi(fake.token, fake.base_url)
    yield ZaloBot(dispatcher, renderer, api, poll_timeout=1, retry_base=0.01)
    await api.aclose()


async def _say(bot: ZaloBot, fake: FakeZalo, user: str, *typed: str) -> str:
    """Type messages in order; the bot's texts after the last one."""
    for text in typed:
        before = len(fake.texts(user))
        await bot.handle_update(text_update(user, text))
    return "\n".join(fake.texts(user)[before:])


ONBOARD = ("/start", "1", "1", "HTX Tân Phú", "1", "Nguyễn Thị Lan", "0912 000 111",
           "Vĩnh Long", "Xã Tân Phú", "1")


async def test_every_numbered_list_ends_with_a_line_saying_to_type_the_number(
    fake: FakeZalo, bot: ZaloBot
) -> None:
    shown = await _say(bot, fake, "z-1", "/start")
    assert shown.rstrip().endswith("👉 Gõ số thứ tự (1–2) để chọn.")
    shown = await _say(bot, fake, "z-1", *ONBOARD[1:])
    assert shown.rstrip().splitlines()[-1].startswith("👉 Gõ số thứ tự (1–")


async def test_a_sentence_at_the_claim_step_is_a_request_not_a_wrong_code(
    fake: FakeZalo, bot: ZaloBot, db: Database, renderer: Renderer, config: HandlerConfig,
    clock: Clock,
) -> None:
    await load_list(db, renderer, config, clock)
    user = "z-2"
    await _say(bot, fake, user, "/start", "1", "1", "HTX Cờ Đỏ", "1", "Nguyễn Thị Lan",
               "0912 345 678", "Cần Thơ", "Xã Cờ Đỏ")
    found = await _say(bot, fake, user, "1")
    assert "HTX Nông nghiệp Cờ Ðỏ" in found
    await _say(bot, fake, user, "1")  # that one is ours: how to prove it
    shown = await _say(bot, fake, user, "nho can bo xac nhan giup")
    assert "đã gửi yêu cầu đến cán bộ tỉnh" in shown, shown


async def test_a_photo_sent_at_the_checklist_goes_to_the_item_it_names_or_asks_which(
    fake: FakeZalo, bot: ZaloBot, db: Database
) -> None:
    user = "z-3"
    await _say(bot, fake, user, *ONBOARD)
    await _say(bot, fake, user, "/dangky", "Mật ong rừng", "1", "1", "1", "Mật ong tự nhiên.",
               "Mật ong", "Rừng U Minh", "bo qua")
    shown = await _say(bot, fake, user, "giấy tờ hồ sơ")
    assert "Giấy chứng nhận an toàn thực phẩm" in shown
    await bot.handle_update(image_update(user, "https://f.zalo.me/attp.jpg", caption="giay attp"))
    assert "Đã ghi nhận Giấy chứng nhận an toàn thực phẩm" in fake.texts(user)[-1]
    await bot.handle_update(image_update(user, "https://f.zalo.me/x.jpg"))
    assert "Đây là giấy tờ nào?" in fake.texts(user)[-1]
    shown = await _say(bot, fake, user, "phiếu kiểm nghiệm")
    assert "Đã ghi nhận Phiếu kiểm nghiệm" in shown
    async with db.transaction() as store:
        marks = await store.products.marks(1)
    assert {code: m.file_id for code, m in marks.items()} == {
        "food_safety": "https://f.zalo.me/attp.jpg", "test_results": "https://f.zalo.me/x.jpg"}


async def test_training_enrolment_on_zalo_promises_no_calendar_file(
    fake: FakeZalo, bot: ZaloBot, db: Database, clock: Clock
) -> None:
    await make_training(db, clock)
    user = "z-4"
    await _say(bot, fake, user, *ONBOARD)
    shown = await _say(bot, fake, user, "tap huan", "1", "dang ky")
    assert "Đã đăng ký lớp" in shown
    assert "Tệp đính kèm" not in shown and "chưa gửi được tệp" not in shown
    assert "ghi ngày giờ này vào lịch" in shown
