"""Telegram: the "share my phone" keyboard goes away whichever way the person answers, and
a restart in between does not leave it on their screen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramChannel
from bot.core import Core, open_core
from fakes.telegram import Call, FakeTelegram
from tests.channels.test_telegram_e2e import TgUser, assert_clean, fake, telegram_settings
from tests.chat import Clock
from tests.claims.test_claim_flow import load_list, producer_of

__all__ = ["fake"]
COOPERATIVE = "HTX Nông nghiệp Cờ Ðỏ"


def removed(calls: list[Call]) -> bool:
    """Whether one of the messages sent removes the reply keyboard."""
    return any((c.params.get("reply_markup") or {}) == {"remove_keyboard": True} for c in calls)


def asks_phone(calls: list[Call]) -> bool:
    """Whether one of the messages sent shows the "share my phone" keyboard."""
    return any((c.params.get("reply_markup") or {}).get("keyboard") for c in calls)


async def at_the_phone_step(core: Core, user: TgUser) -> None:
    """Register, find one's cooperative in the province's list and pick it: the bot asks to
    share the phone number the list has."""
    config = core.settings.handler_config()
    await load_list(core.db, core.renderer, config, Clock(datetime.now(UTC)))
    for typed in ("/start", "1", "1", "HTX Cờ Đỏ", "1", "Nguyễn Thị Lan", "0912 345 678",
                  "Cần Thơ", "Xã Cờ Đỏ", "1"):
        await user.say(typed)
    await user.press(f"p:{await producer_of(core.db, COOPERATIVE)}")
    assert asks_phone(user.last), [c.params for c in user.last]


async def showing(core: Core) -> set[str]:
    """The chats the database says still show the keyboard."""
    async with core.db.reading() as store:
        return await store.reply_keyboards.showing("telegram")


@pytest.mark.parametrize("answer", ["nho can bo xac nhan giup", "/start", "thôi", "menu",
                                    "contact"])
async def test_the_phone_keyboard_goes_away_however_the_person_answers(
    fake: FakeTelegram, tmp_path: Path, answer: str
) -> None:
    async with open_core(telegram_settings(fake, tmp_path)) as core:
        channel = TelegramChannel(core)
        await channel.start()
        try:
            lan = TgUser(fake, 701)
            await at_the_phone_step(core, lan)
            assert await showing(core) == {"701"}
            if answer == "contact":
                await lan.send(lambda: fake.push_contact(701, "+84 912 345 678"))
            else:
                await lan.say(answer)
            assert removed(lan.last), (answer, [c.params for c in lan.last])
            assert await showing(core) == set()
            sent = [c for c in lan.last if c.method == "sendMessage"]
            if answer in ("menu", "/start"):  # the menu carried the removal, then its buttons
                assert fake.keyboard_of(701, sent[-1].result["message_id"]) is not None
            await lan.say("menu")
            assert not removed(lan.last)  # removed once, not again
            assert_clean(fake)
        finally:
            await channel.stop()


async def test_a_restart_does_not_leave_the_phone_keyboard_showing(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    lan = TgUser(fake, 702)
    async with open_core(telegram_settings(fake, tmp_path)) as core:
        channel = TelegramChannel(core)
        await channel.start()
        try:
            await at_the_phone_step(core, lan)
            await lan.say("0912 345 678")  # typed, not shared: not a proof, the bot asks again
            assert not removed(lan.last) and await showing(core) == {"702"}
        finally:
            await channel.stop()
    async with open_core(telegram_settings(fake, tmp_path)) as core:  # the bot restarted
        channel = TelegramChannel(core)
        await channel.start()
        try:
            await lan.say("nho can bo xac nhan giup")
            assert removed(lan.last), [c.params for c in lan.last]
            assert await showing(core) == set()
            assert_clean(fake)
        finally:
            await channel.stop()
