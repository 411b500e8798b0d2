"""Telegram: a pressed menu is put away (it shows the choice made), and the "share my phone"
keyboard goes away however the person answers."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.channels.telegram import TelegramChannel
from bot.core import Core
from fakes.telegram import FakeTelegram
from tests.channels.test_telegram_e2e import TgUser, assert_clean, channel, core, fake
from tests.chat import Clock
from tests.claims.test_claim_flow import load_list, producer_of

__all__ = ["channel", "core", "fake"]  # the fixtures, shared with the end-to-end tests


async def test_a_pressed_menu_shows_the_choice_and_can_no_longer_be_pressed(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    lan = TgUser(fake, 601)
    await lan.say("/start")
    _, message_id = lan.button("l:vi")
    assert fake.keyboard_of(601, message_id) is not None
    await lan.press("l:vi")
    assert fake.keyboard_of(601, message_id) is None  # the old menu has no buttons left
    assert fake.text_of(601, message_id).endswith("Đã chọn: Tiếng Việt")
    _, consent_id = lan.button("c:yes")
    await lan.say("đồng ý nha")  # typed instead of pressed: that menu stays as it was shown
    assert fake.keyboard_of(601, consent_id) is not None
    assert_clean(fake)


async def test_the_share_phone_keyboard_goes_away_when_the_person_answers_otherwise(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    config = core.settings.handler_config()
    await load_list(core.db, core.renderer, config, Clock(datetime.now(UTC)))
    lan = TgUser(fake, 101)
    for typed in ("/start", "1", "1", "HTX Cờ Đỏ", "1", "Nguyễn Thị Lan", "0912 345 678",
                  "Cần Thơ", "Xã Cờ Đỏ", "1"):
        await lan.say(typed)
    cooperative = await producer_of(core.db, "HTX Nông nghiệp Cờ Ðỏ")
    await lan.press(f"p:{cooperative}")
    asked = [c.params.get("reply_markup") or {} for c in lan.last]
    assert any(m.get("keyboard") for m in asked)  # the "share my phone" button
    await lan.press("v:officer")  # another way: the phone button is not wanted any more
    markups = [c.params.get("reply_markup") or {} for c in lan.last]
    assert {"remove_keyboard": True} in markups, markups
    await lan.say("menu")  # removed once, not again
    assert all("remove_keyboard" not in (c.params.get("reply_markup") or {}) for c in lan.last)
    assert_clean(fake)


async def test_an_expired_menu_pressed_is_put_away_without_claiming_a_choice(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    lan = TgUser(fake, 603)
    await lan.say("/start")
    data, message_id = lan.button("l:vi")
    await lan.say("/start")  # a new menu: the first one has expired
    before = fake.text_of(603, message_id)
    await lan.tap(data, message_id)
    assert fake.keyboard_of(603, message_id) is None
    assert fake.text_of(603, message_id) == before  # no "Đã chọn" on a press that did nothing
    assert_clean(fake)
