"""Long texts reach people whole, over real HTTP to the fake Telegram and Zalo APIs.

An officer's announcement full of `&` and quotes grows when escaped for Telegram's HTML; it
must still arrive complete, split only between entities and tags, and as plain text if
Telegram cannot read our HTML. The officer is told beforehand when it arrives in parts.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.channels.telegram_io import TEXT_LIMIT, send_text
from bot.channels.zalo_api import MAX_TEXT, ZaloApi
from bot.outbox.sender import Sender
from bot.outbox.telegram import TelegramTransport
from bot.outbox.transport import SendStatus
from bot.outbox.zalo import ZaloTransport
from fakes.telegram import TOKEN, FakeTelegram
from fakes.telegram_checks import utf16_units, visible_text
from fakes.zalo import FakeZalo
from handlers.common.notify import TEXT_LIMITS
from messages import Renderer
from storage import Database
from storage.broadcasts import DeliveryReport
from tests.chat import Chat, ChatFor, Clock
from tests.outbox.support import make_officer, policy, seed_producers

TELEGRAM_PEOPLE = ("1000", "1001", "1002")
ZALO_PEOPLE = ("2000", "2001")


def officer_text(length: int = 3400) -> str:
    """What an officer pasted: one long paragraph and a short one, full of `&` and quotes."""
    second = 'Liên hệ: "Phòng NN&PTNT" & "Văn phòng OCOP" <vp@ocop.vn> & \'Hotline\' 0912&0913.'
    words: list[str] = []
    while len(" ".join(words)) < length - len(second) - 2:
        words.append(f'{len(words) + 1}) HTX "Sen & Sữa" & Cty \'A&B\' <50k> & "miễn phí"')
    return "Kính gửi: " + " ".join(words) + "\n\n" + second


LONG = officer_text()


def flat(text: str) -> str:
    """Whitespace made uniform (Telegram trims each message; parts are cut at spaces)."""
    return " ".join(text.split())


def telegram_parts(fake: FakeTelegram, chat: str) -> list[str]:
    """What one person saw on Telegram, message by message."""
    return [visible_text(c.params["text"], c.params.get("parse_mode"))
            for c in fake.sent_to(chat) if c.method == "sendMessage"]


@pytest.fixture
async def officer(db: Database, clock: Clock, chat_for: ChatFor) -> Chat:
    """An officer of Vĩnh Long on Telegram; producers to reach on Telegram and on Zalo."""
    await seed_producers(db, len(TELEGRAM_PEOPLE), clock(), first_id=1000)
    await seed_producers(db, len(ZALO_PEOPLE), clock(), first_id=2000, channel="zalo")
    await make_officer(db, clock(), "555", "VL")
    return chat_for("555")


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegram, FakeZalo]]:
    """Both fake Bot APIs, serving on 127.0.0.1."""
    zalo = FakeZalo()
    await zalo.start()
    async with FakeTelegram() as telegram:
        yield telegram, zalo
    await zalo.stop()


async def compose_and_send(officer: Chat, text: str) -> None:
    await officer.say("/canbo")
    await officer.press("o:bc")
    await officer.say(text)
    await officer.press("a:ok")
    await officer.press("c:now")
    await officer.press("c:go")
    assert officer.templates[0] == "broadcast/queued"


async def deliver_everything(
    db: Database, renderer: Renderer, clock: Clock, telegram: FakeTelegram, zalo: FakeZalo
) -> DeliveryReport:
    """Run both channels' senders until the broadcast is finished (polled, with a deadline)."""
    pace = policy(chat_interval=0.01)
    tg = TelegramTransport(TOKEN, telegram.base_url)
    za = ZaloTransport(ZaloApi(zalo.token, zalo.base_url, timeout=5.0))
    senders = [Sender(db, tg, renderer, pace, clock=clock), Sender(db, za, renderer, pace,
                                                                  clock=clock)]
    await tg.start()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    try:
        while True:
            for sender in senders:
                await sender.drain_once()
            async with db.transaction() as store:
                report = await store.broadcasts.report(1)
            if report.finished:
                return report
            assert loop.time() < deadline, f"broadcast not finished: {report}"
            await asyncio.sleep(0.02)
    finally:
        await tg.stop()
        await za.stop()


async def test_a_long_ampersand_heavy_broadcast_reaches_everyone_whole(
    db: Database, renderer: Renderer, clock: Clock, officer: Chat,
    fakes: tuple[FakeTelegram, FakeZalo],
) -> None:
    telegram, zalo = fakes
    assert 3300 <= len(LONG) <= 3500 and LONG.count("&") > 250 and LONG.count('"') > 250
    assert len(html.escape(LONG)) > 4096 + 2000  # what used to be cut inside an `&amp;`
    await compose_and_send(officer, LONG)
    report = await deliver_everything(db, renderer, clock, telegram, zalo)

    assert report.delivered == report.total == len(TELEGRAM_PEOPLE) + len(ZALO_PEOPLE)
    assert [c for c in telegram.rejected if c.status == 400] == []
    for person in TELEGRAM_PEOPLE:
        parts = telegram_parts(telegram, person)
        assert len(parts) == 2  # its HTML is over 4 096 units, the text read from it is not
        sent = telegram.sent_to(person)
        assert all(c.params.get("parse_mode") == "HTML" for c in sent)
        assert all(utf16_units(c.params["text"]) <= 4096 for c in sent)  # even the whole HTML
        whole = flat("\n".join(parts))
        assert whole.startswith("📢 THÔNG BÁO") and flat(LONG) in whole
        assert whole.endswith("Gõ DỪNG để ngừng nhận thông báo.")
    for person in ZALO_PEOPLE:
        parts = zalo.texts(person)
        assert len(parts) == 2 and all(utf16_units(part) <= 2000 for part in parts)
        assert flat(LONG) in flat("\n".join(parts))


async def test_html_telegram_cannot_parse_goes_out_as_plain_text(
    db: Database, renderer: Renderer, clock: Clock, officer: Chat,
    fakes: tuple[FakeTelegram, FakeZalo],
) -> None:
    telegram, zalo = fakes
    telegram.refuse_html = True
    await compose_and_send(officer, LONG)
    report = await deliver_everything(db, renderer, clock, telegram, zalo)

    assert report.delivered == report.total and report.failed == 0
    for person in TELEGRAM_PEOPLE:
        calls = telegram.sent_to(person)
        assert calls and all(c.params.get("parse_mode") is None for c in calls)
        text = "\n".join(c.params["text"] for c in calls)  # tags stripped, entities unescaped
        assert "<b>" not in text and "&amp;" not in text and "&#34;" not in text
        assert flat(LONG) in flat(text)


async def test_a_direct_reply_is_split_between_entities_or_sent_plain(
    fakes: tuple[FakeTelegram, FakeZalo],
) -> None:
    telegram, _ = fakes
    reply = f"<b>Danh sách</b>\n{html.escape(LONG)} <i>{html.escape(LONG)}</i>"
    bot = Bot(token=TOKEN, base_url=telegram.base_url)
    await bot.initialize()
    try:
        await send_text(bot, "7", reply)
        telegram.refuse_html = True
        await send_text(bot, "8", reply)
    finally:
        await bot.shutdown()
    assert [c for c in telegram.rejected if c.params.get("chat_id") == 7] == []
    as_html = telegram_parts(telegram, "7")
    as_plain = [c.params["text"] for c in telegram.sent_to("8")]
    assert len(as_html) == len(as_plain) == 4
    expected = flat(f"Danh sách\n{LONG} {LONG}")
    assert flat("\n".join(as_html)) == expected == flat("\n".join(as_plain))


async def test_the_preview_says_in_how_many_parts_a_long_text_arrives(officer: Chat) -> None:
    await officer.say("/canbo")
    await officer.press("o:bc")
    await officer.say(LONG)
    await officer.press("a:ok")
    assert officer.templates == ["broadcast/announcement", "broadcast/confirm"]
    assert officer.last.replies[1].context["parts"] == {"telegram": 2, "zalo": 2}
    assert "sẽ đến thành 2 tin trên Telegram và 2 tin trên Zalo" in officer.text

    await officer.press("c:edit")
    await officer.say("Họp OCOP & hội chợ: 20/12.")
    assert officer.templates == ["broadcast/announcement", "broadcast/confirm"]
    assert officer.last.replies[1].context["parts"] == {"telegram": 1, "zalo": 1}
    assert "sẽ đến thành" not in officer.text


async def test_the_preview_in_english_counts_telegram_parts_too(
    db: Database, officer: Chat, clock: Clock
) -> None:
    async with db.transaction() as store:
        user = await store.users.find("telegram", "555")
        assert user is not None
        await store.users.set_locale(user.id, "en")
    emoji = ("Chúc mừng 🎉🎉🎉 " * 300)[:3500].strip()  # 3 500 characters, ~4 400 UTF-16 units
    await officer.say("/canbo")
    await officer.press("o:bc")
    await officer.say(emoji)
    await officer.press("a:ok")
    assert officer.last.replies[1].context["parts"] == {"telegram": 2, "zalo": 3}
    assert "arrives in 2 messages on Telegram and 3 on Zalo" in officer.text


async def test_flood_control_between_parts_does_not_repeat_the_first_part() -> None:
    text = LONG + "\n" + LONG  # two messages on Telegram
    async with FakeTelegram(per_chat_rate=1.0) as telegram:
        transport = TelegramTransport(TOKEN, telegram.base_url)
        await transport.start()
        try:
            result = await transport.send("9", {"text": text, "format": "plain"})
        finally:
            await transport.stop()
    assert result.status is SendStatus.SENT
    assert [c.status for c in telegram.rejected] == [429]  # the second part had to wait
    parts = telegram_parts(telegram, "9")
    assert len(parts) == 2 and flat("\n".join(parts)) == flat(LONG + "\n" + LONG)


def test_every_channel_limit_is_the_one_its_sender_uses() -> None:
    assert TEXT_LIMITS == {"telegram": TEXT_LIMIT, "zalo": MAX_TEXT}
