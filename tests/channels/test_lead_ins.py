"""A short note before a question (the step counter, "cancelled", an error) shares its message.

One message with the question instead of one per reply: one phone notification per answer,
the same words in the same order, the keyboard or numbered choices at the end. When the
joined text would not fit one message of the channel, the replies stay apart; a preview of
what others will receive is always a message of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.present import present
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_io import TEXT_LIMIT, send_outcome
from bot.channels.zalo import ZaloBot
from bot.channels.zalo_api import MAX_TEXT, ZaloApi
from bot.core import open_core
from fakes.telegram import FakeTelegram
from fakes.zalo import FakeZalo, text_update
from handlers.common.fields import FIELD_NAMES
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Choice, Outcome, Reply
from messages import Format, Renderer
from messages.split import utf16_len
from storage import Database
from tests.channel_drivers import seen
from tests.channels.test_telegram_e2e import TgUser, assert_clean, shown, telegram_settings
from tests.chat import Chat, Clock
from tests.outbox.support import make_officer, seed_producers

TOTAL = len(FIELD_NAMES)


@pytest.fixture
async def telegram(tmp_path: Path) -> AsyncIterator[tuple[FakeTelegram, TelegramChannel]]:
    """The Telegram channel long-polling the fake Bot API, on a database under tmp_path."""
    async with FakeTelegram() as fake, open_core(telegram_settings(fake, tmp_path)) as core:
        channel = TelegramChannel(core)
        await channel.start()
        try:
            yield fake, channel
        finally:
            await channel.stop()


async def test_step_counter_and_question_arrive_as_one_telegram_message(
    telegram: tuple[FakeTelegram, TelegramChannel],
) -> None:
    fake, _ = telegram
    lan = TgUser(fake, 801)
    await lan.say("/start")
    await lan.press("l:vi")
    await lan.press("c:yes")
    counter = shown("onboarding/progress", position=1, total=TOTAL)
    question = shown("profile/ask_name", field="name", current="")
    assert lan.texts == [f"{counter}\n\n{question}"]
    sent = await lan.say("HTX Tân Phú")
    assert len(sent) == 1  # counter 2/6 and the question with its buttons
    assert lan.texts[0].startswith(shown("onboarding/progress", position=2, total=TOTAL))
    assert sent[0].params.get("reply_markup")  # the keyboard is on the message
    assert lan.keys and all(key.startswith("e:") for key in lan.keys)
    assert_clean(fake)


async def test_a_note_and_the_menu_after_it_are_one_telegram_message(
    telegram: tuple[FakeTelegram, TelegramChannel],
) -> None:
    fake, _ = telegram
    lan = TgUser(fake, 802)
    await lan.say("/start")
    sent = await lan.say("huy")
    assert len(sent) == 1
    assert lan.texts[0].startswith(shown("menu/cancelled") + "\n\n")
    assert sent[0].params.get("reply_markup")  # the keyboard after the note, on that message
    assert_clean(fake)


async def test_telegram_keeps_them_apart_when_together_they_would_not_fit(
    telegram: tuple[FakeTelegram, TelegramChannel],
) -> None:
    fake, channel = telegram
    long_text = "Kính gửi các chủ thể OCOP & hợp tác xã. " * 90
    context = {"text": long_text, "urgent": False, "office": ""}
    outcome = Outcome(chat_id="803", replies=[
        Reply(template="menu/cancelled"),
        Reply(template="broadcast/announcement", context=context,
              choices=(Choice(key="ok", text="OK"),)),
    ])
    html = [item.text for item in present(Renderer(), outcome, Format.HTML)]
    assert utf16_len(html[1]) <= TEXT_LIMIT < utf16_len(html[0]) + 2 + utf16_len(html[1])
    await send_outcome(channel.app.bot, Renderer(), outcome, "803")
    sent = fake.sent_to(803)
    assert sent[0].result["text"] == shown("menu/cancelled")
    assert len(sent) == 2 and all(utf16_len(c.params["text"]) <= TEXT_LIMIT for c in sent)
    assert [bool(c.params.get("reply_markup")) for c in sent] == [False, True]
    assert_clean(fake)


@pytest.fixture
async def zalo_bot(
    dispatcher: Dispatcher, renderer: Renderer
) -> AsyncIterator[tuple[FakeZalo, ZaloBot]]:
    """The Zalo adapter on the test dispatcher, against the fake Zalo API."""
    server = FakeZalo(poll_cap=1.0)
    await server.start()
    api = ZaloApi(server.token, server.base_url)
    yield server, ZaloBot(dispatcher, renderer, api, poll_timeout=1, retry_base=0.01,
                  poll_gap=0.02)
    await api.aclose()
    await server.stop()


async def test_a_note_and_the_menu_after_it_are_one_zalo_message(
    zalo_bot: tuple[FakeZalo, ZaloBot],
) -> None:
    fake, bot = zalo_bot
    await bot.handle_update(text_update("z-1", "/start"))
    before = len(fake.texts("z-1"))
    await bot.handle_update(text_update("z-1", "huy"))
    answers = fake.texts("z-1")[before:]
    assert len(answers) == 1
    assert answers[0].startswith(seen("menu/cancelled") + "\n\n")
    assert "\n1. " in answers[0] and "\n2. " in answers[0]  # numbered choices at the end


async def test_zalo_keeps_them_apart_when_together_they_would_not_fit(
    zalo_bot: tuple[FakeZalo, ZaloBot],
) -> None:
    fake, bot = zalo_bot
    choices = tuple(Choice(key=f"k:{n}", text=f"Lựa chọn {n} " + "x" * 63) for n in range(24))
    outcome = Outcome(chat_id="z-2", replies=[
        Reply(template="menu/cancelled"), Reply(template="menu/coming_soon", choices=choices),
    ])
    await bot.deliver(outcome)
    texts = fake.texts("z-2")
    assert len(texts[1]) <= MAX_TEXT < len(texts[0]) + 2 + len(texts[1])  # together: too long
    assert texts[0] == seen("menu/cancelled")
    assert len(texts) == 2 and all(utf16_len(text) <= MAX_TEXT for text in texts)
    assert texts[1].endswith("24. Lựa chọn 23 " + "x" * 63 + "\n👉 Gõ số thứ tự (1–24) để chọn.")


async def test_a_broadcast_preview_stays_a_message_of_its_own(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    await seed_producers(db, 3, clock())
    await make_officer(db, clock(), "555", "VL")
    officer = Chat(dispatcher, renderer, clock, channel="telegram", user="555")
    await officer.say("/canbo")
    await officer.press("o:bc")
    await officer.say("Họp ngày 5/12")
    await officer.press("a:ok")
    assert officer.templates == ["broadcast/announcement", "broadcast/confirm"]
    items = present(renderer, officer.last, Format.HTML, fits=lambda _: True)
    assert [item.reply.template for item in items] == officer.templates
    assert items[0].text == renderer.render(
        "vi", "broadcast/announcement", Format.HTML, **officer.last.replies[0].context)
