"""Updates fetched while earlier ones are being handled, never confirmed before they are done."""

from __future__ import annotations

from bot.channels.telegram import TelegramChannel
from fakes.telegram import FakeTelegram
from tests.channels.test_telegram_e2e import TgUser, assert_clean, channel, core, fake

__all__ = ["channel", "core", "fake"]  # fixtures used by the tests below


async def test_one_slow_update_does_not_hold_up_other_users(
    fake: FakeTelegram, channel: TelegramChannel
) -> None:
    lan = TgUser(fake, 801)
    await lan.say("/start")
    data, message_id = lan.button("l:vi")
    fake.hold("answerCallbackQuery")  # Lan's press stays in hand until released
    pressed = fake.push_callback(801, data, message_id)
    await fake.wait_for(lambda: fake.holding == 1)
    typed = fake.push_text(802, "/start")  # another user meanwhile
    await fake.wait_for(lambda: fake.sent_to(802), timeout=5)
    assert fake.confirmed_offset <= pressed  # not confirmed while in hand: kill -9 loses nothing
    fake.release("answerCallbackQuery")
    await fake.wait_for(lambda: fake.confirmed_offset > typed)
    assert fake.answered(f"cq{1}")
    assert any("c:yes" in str(c.params.get("reply_markup")) for c in fake.sent_to(801))
    assert_clean(fake)


async def test_a_user_s_updates_keep_their_order_across_fetches(
    fake: FakeTelegram, channel: TelegramChannel
) -> None:
    lan = TgUser(fake, 811)
    await lan.say("/start")
    data, message_id = lan.button("l:vi")
    fake.hold("answerCallbackQuery")
    fake.push_callback(811, data, message_id)
    await fake.wait_for(lambda: fake.holding == 1)
    later = fake.push_text(811, "menu")  # fetched while the press is in hand: waits for it
    fake.push_text(812, "/start")
    await fake.wait_for(lambda: fake.sent_to(812), timeout=5)
    assert fake.confirmed_offset <= later
    fake.release("answerCallbackQuery")
    await fake.wait_for(lambda: fake.confirmed_offset > later)
    sent = [c.params.get("text", "") for c in fake.sent_to(811)]
    consent = next(n for n, c in enumerate(fake.sent_to(811))
                   if "c:yes" in str(c.params.get("reply_markup")))
    assert consent < len(sent) - 1  # the press was answered before the later text
    assert_clean(fake)
