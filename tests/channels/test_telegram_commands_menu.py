"""Telegram: "làm tiếp" is in the command menu (setMyCommands) and in /help, in Vietnamese and
English, and its English command works."""

from __future__ import annotations

from bot.channels.telegram import TelegramChannel
from bot.core import Core
from fakes.telegram import FakeTelegram
from tests.channels.test_telegram_e2e import TgUser, assert_clean, channel, core, fake

__all__ = ["channel", "core", "fake"]


async def test_lamtiep_is_in_the_command_menu_and_in_help(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    vi = {c["command"]: c["description"] for c in fake.commands[("default", "")]}
    en = {c["command"]: c["description"] for c in fake.commands[("default", "en")]}
    assert vi["lamtiep"] == "Làm tiếp việc đang dở"
    assert en["lamtiep"] == "Continue unfinished work"
    lan = TgUser(fake, 801)
    await lan.say("/trogiup")
    assert "/lamtiep — làm tiếp việc đang dở" in lan.texts[-1]
    ann = TgUser(fake, 802, language_code="en")
    await ann.say("/start")
    await ann.press("l:en")
    await ann.say("/help")
    assert "/lamtiep (or /continue)" in ann.texts[-1]
    await ann.say("/lamtiep")
    answered = ann.texts
    await ann.say("/continue")  # the same command, in English
    assert ann.texts == answered and "Hello!" in answered[0], answered
    assert_clean(fake)
