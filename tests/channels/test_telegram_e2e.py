"""The real python-telegram-bot Application, over HTTP, against the fake Bot API server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.channels.present import present
from bot.channels.telegram import PerUserProcessor, TelegramChannel
from bot.channels.telegram_io import incoming_from, keyboard, send_outcome, send_text
from bot.config import Settings
from bot.core import Core, open_core
from fakes.telegram import TOKEN, Call, FakeTelegram
from handlers.engine.events import Choice, Document, InputKind, Outcome, Reply
from messages import Format, Renderer
from messages.render import to_plain
from storage.models import Producer

RENDERER = Renderer()

# Telegram's command menu, in order: built from the features' listed commands.
COMMANDS = (
    "start", "menu", "toi", "caidat", "trogiup", "huy", "xoadulieu",
    "dangky", "sanpham", "hanchot", "taphuan", "thongbao", "lienket", "lamtiep",
)


def shown(template: str, locale: str = "vi", **context: Any) -> str:
    """A template as the user sees it on Telegram (HTML parsed away)."""
    return to_plain(RENDERER.render(locale, template, Format.HTML, **context))


class TgUser:
    """One Telegram user talking to the bot through the fake server."""

    def __init__(self, fake: FakeTelegram, user_id: int, language_code: str = "vi") -> None:
        self.fake, self.id, self.language_code = fake, user_id, language_code
        self.last: list[Call] = []

    async def send(self, push: Callable[[], int]) -> list[Call]:
        """Push an update, wait until the bot has handled it, keep what it sent back."""
        mark = len(self.fake.sent_to(self.id))
        update_id = push()
        await self.fake.wait_for(lambda: self.fake.confirmed_offset > update_id)
        self.last = self.fake.sent_to(self.id)[mark:]
        return self.last

    async def say(self, text: str, **options: Any) -> list[Call]:
        """Type a text message."""
        return await self.send(
            lambda: self.fake.push_text(
                self.id, text, language_code=self.language_code, **options
            )
        )

    def button(self, key: str) -> tuple[str, int]:
        """The callback data and message id of the newest button with this choice key."""
        for call in reversed(self.fake.sent_to(self.id)):
            markup = call.params.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if button["callback_data"].split(":", 1)[1] == key:
                        return button["callback_data"], call.result["message_id"]
        raise AssertionError(f"no button {key!r} was sent to {self.id}")

    async def press(self, key: str, *, times: int = 1) -> list[Call]:
        """Press the newest button with this choice key."""
        data, message_id = self.button(key)
        return await self.tap(data, message_id, times=times)

    async def tap(self, data: str, message_id: int, *, times: int = 1) -> list[Call]:
        """Press a button by its raw callback data (an old one, or the same one again)."""
        return await self.send(
            lambda: self.fake.push_callback(self.id, data, message_id, times=times)
        )

    @property
    def texts(self) -> list[str]:
        """What the user saw after their last action (texts and captions)."""
        return [str(c.result.get("text") or c.result.get("caption") or "") for c in self.last]

    @property
    def keys(self) -> list[str]:
        """Choice keys of the buttons sent after the last action."""
        return [
            button["callback_data"].split(":", 1)[1]
            for call in self.last
            for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
        ]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API in this test's event loop."""
    async with FakeTelegram() as server:
        yield server


def telegram_settings(fake: FakeTelegram, tmp_path: Path) -> Settings:
    """Settings pointing the bot at the fake server and a fresh database."""
    return Settings(
        _env_file=None,
        db_path=tmp_path / "ocop.db",
        telegram_bot_token=TOKEN,
        telegram_api_base_url=fake.base_url,
        telegram_poll_timeout=1,
    )


@pytest.fixture
async def core(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[Core]:
    """The bot's core on a database under tmp_path."""
    async with open_core(telegram_settings(fake, tmp_path)) as opened:
        yield opened


@pytest.fixture
async def channel(core: Core) -> AsyncIterator[TelegramChannel]:
    """The Telegram channel, long-polling the fake."""
    running = TelegramChannel(core)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


def assert_clean(fake: FakeTelegram) -> None:
    """Every request was accepted and every callback query answered."""
    assert fake.rejected == []
    assert fake.unanswered_callbacks() == []


async def producer_of(core: Core, user_id: int) -> Producer | None:
    """The saved producer profile of a Telegram user."""
    async with core.db.transaction() as store:
        user = await store.users.find("telegram", str(user_id))
        assert user is not None
        return await store.users.producer(user.producer_id) if user.producer_id else None


async def test_commands_are_published_in_vietnamese_and_english(
    fake: FakeTelegram, channel: TelegramChannel
) -> None:
    default = fake.commands[("default", "")]
    assert [c["command"] for c in default] == list(COMMANDS)
    assert {c["command"]: c["description"] for c in default} == {
        name: RENDERER.label("vi", f"bot_command.{name}") for name in COMMANDS
    }
    assert any("đăng ký" in c["description"].lower() for c in default)
    english = fake.commands[("default", "en")]
    assert english[0]["description"] == RENDERER.label("en", "bot_command.start")
    assert_clean(fake)


async def test_onboarding_with_diacritics_and_buttons(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    lan = TgUser(fake, 501)
    await lan.say("/start")
    assert lan.keys == ["l:vi", "l:en"]
    await lan.press("l:vi")
    await lan.press("c:yes")
    await lan.say("HTX Tân Phú")
    assert "e:cooperative" in lan.keys
    await lan.press("e:cooperative")
    await lan.say("Nguyễn Thị Lan")
    await lan.say("0912 345 678")
    await lan.say("Vĩnh Long")
    await lan.say("Xã Tân Phú")
    assert lan.keys[0] == "s:ok"
    assert "HTX Tân Phú" in lan.texts[0] and "0912345678" in lan.texts[0]
    await lan.press("s:ok")
    assert lan.texts[0].startswith(shown("onboarding/done", name="HTX Tân Phú") + "\n\n")
    producer = await producer_of(core, 501)
    assert producer is not None
    assert (producer.name, producer.entity_type, producer.phone, producer.commune) == (
        "HTX Tân Phú", "cooperative", "+84912345678", "Xã Tân Phú"
    )
    assert len(fake.calls("answerCallbackQuery")) == 4
    assert_clean(fake)


async def test_onboarding_typed_without_diacritics_and_numbers(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    minh = TgUser(fake, 502)
    for text in ("bat dau", "1", "1", "HTX Tan Phu", "3", "Nguyen Van Minh", "0912345678",
                 "vinh long", "xa tan phu"):
        await minh.say(text)
        assert minh.last, f"no answer to {text!r}"
    await minh.say("1")
    assert minh.texts[0].startswith(shown("onboarding/done", name="HTX Tan Phu") + "\n\n")
    producer = await producer_of(core, 502)
    assert producer is not None and producer.entity_type == "cooperative"
    assert producer.contact_person == "Nguyen Van Minh"
    assert_clean(fake)


async def test_non_text_where_text_is_expected(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    lan = TgUser(fake, 503)
    await lan.say("/start")
    await lan.press("l:vi")
    await lan.press("c:yes")
    expected = shown("errors/text_expected")
    for push in (fake.push_sticker, fake.push_voice, fake.push_location, fake.push_photo,
                 fake.push_document):
        await lan.send(lambda push=push: push(lan.id))  # type: ignore[misc]
        assert lan.texts[0].startswith(expected + "\n\n"), push.__name__
    await lan.say("HTX Tân Phú")  # still at the name step: the name is taken
    assert "e:cooperative" in lan.keys
    assert_clean(fake)


async def test_stale_button_from_an_old_message(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    lan = TgUser(fake, 504)
    await lan.say("/start")
    old_english = lan.button("l:en")
    await lan.press("l:vi")
    await lan.tap(*old_english)  # a button from an older message
    assert lan.texts[0].startswith(shown("errors/stale_menu") + "\n\n")
    assert lan.keys == ["c:yes", "c:no"]  # the current question again
    stale_answer = fake.calls("answerCallbackQuery")[-1].params
    assert stale_answer.get("text") == RENDERER.label("vi", "toast.stale")
    async with core.db.transaction() as store:
        user = await store.users.find("telegram", "504")
        assert user is not None and user.locale == "vi" and user.consent_at is None
    assert_clean(fake)


async def test_two_quick_taps_on_the_same_button(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    lan = TgUser(fake, 514)
    await lan.say("/start")
    data, message_id = lan.button("l:en")
    first = fake.push_callback(514, data, message_id)
    second = fake.push_callback(514, data, message_id)  # a second tap before any answer
    await fake.wait_for(lambda: fake.confirmed_offset > second > first)
    sent = fake.sent_to(514)[1:]
    assert len(sent) == 1 and "c:yes" in sent[0].params["reply_markup"]["inline_keyboard"][0][0][
        "callback_data"]
    answers = [c.params.get("text") for c in fake.calls("answerCallbackQuery")]
    assert answers == [None, RENDERER.label("en", "toast.already_done")]
    async with core.db.transaction() as store:
        user = await store.users.find("telegram", "514")
        assert user is not None and user.locale == "en"
    assert_clean(fake)


async def test_same_update_delivered_twice_is_handled_once(
    fake: FakeTelegram, channel: TelegramChannel
) -> None:
    lan = TgUser(fake, 505)
    await lan.send(lambda: fake.push_text(505, "/start", times=2))
    assert len(lan.last) == 1  # one greeting
    data, message_id = lan.button("l:vi")
    await lan.send(lambda: fake.push_callback(505, data, message_id, times=2))
    assert len(lan.last) == 1 and lan.keys == ["c:yes", "c:no"]
    assert_clean(fake)


async def test_html_and_sql_looking_text_is_shown_escaped(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    lan = TgUser(fake, 506)
    typed = "<b>HTX</b> & Co'); DROP TABLE users;--"
    for step in ("/start", "l:vi", "c:yes", typed):
        await (lan.press(step) if ":" in step and not step.startswith("<") else lan.say(step))
    await lan.press("e:household")
    for text in ("<i>Lan</i>", "0912345678", "vinh long", "Xã <script>"):
        await lan.say(text)
    summary = lan.texts[0]
    assert typed in summary and "<i>Lan</i>" in summary and "Xã <script>" in summary
    await lan.press("s:ok")
    producer = await producer_of(core, 506)
    assert producer is not None and producer.name == typed  # stored as typed
    assert_clean(fake)


async def test_a_500_character_name_is_refused_politely(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    lan = TgUser(fake, 507)
    await lan.say("/start")
    await lan.press("l:vi")
    await lan.press("c:yes")
    await lan.say("Hợp tác xã " + "A" * 489)
    assert lan.texts[0].startswith(shown("profile/too_long", limit=120, length=500) + "\n\n")
    await lan.say("HTX Tân Phú")
    assert "e:cooperative" in lan.keys
    assert_clean(fake)


async def test_group_chats_get_one_polite_line(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    update_id = fake.push_text(508, "/start", chat_id=-1001, chat_type="supergroup")
    chatter = fake.push_text(508, "xin chào mọi người", chat_id=-1001, chat_type="supergroup")
    await fake.wait_for(lambda: fake.confirmed_offset > max(update_id, chatter))
    sent = fake.sent_to(-1001)
    assert [c.result["text"] for c in sent] == [shown("errors/private_only")]
    async with core.db.transaction() as store:
        assert await store.users.find("telegram", "508") is None
    assert_clean(fake)


async def test_blocked_user_does_not_stop_polling(
    fake: FakeTelegram, channel: TelegramChannel
) -> None:
    fake.blocked.add("509")
    await TgUser(fake, 509).say("/start")
    assert fake.calls("sendMessage", rejected=True)[-1].status == 403
    other = TgUser(fake, 510)
    await other.say("/start")
    assert other.keys == ["l:vi", "l:en"]


async def test_flood_control_is_waited_out(tmp_path: Path) -> None:
    async with FakeTelegram(per_chat_rate=1.0) as fake, open_core(
        telegram_settings(fake, tmp_path)
    ) as core:
        channel = TelegramChannel(core)
        await channel.start(polling=False)
        try:
            consent = Reply(template="onboarding/consent",
                            choices=(Choice(key="c:yes", label="consent.yes"),))
            two = Outcome(chat_id="511", replies=[consent, Reply(template="errors/generic")])
            await send_outcome(channel.app.bot, RENDERER, two, "511")
            assert len(fake.sent_to(511)) == 2  # the second one after waiting retry_after
            assert [(c.method, c.status) for c in fake.rejected] == [("sendMessage", 429)]
        finally:
            await channel.stop()


async def test_webhook_path_processes_a_raw_update(fake: FakeTelegram, core: Core) -> None:
    channel = TelegramChannel(core)
    await channel.start(polling=False)
    try:
        body = {"update_id": 9001, "message": {
            "message_id": 1, "date": 1_780_000_000, "text": "/start",
            "chat": {"id": 512, "type": "private", "first_name": "Lan"},
            "from": {"id": 512, "is_bot": False, "first_name": "Lan"}}}
        await channel.process_update(body)
        await channel.process_update(body)  # Telegram retried: handled once
        assert len(fake.sent_to(512)) == 1
        assert fake.calls("getUpdates") == []
    finally:
        await channel.stop()


async def test_long_texts_documents_and_photos(
    fake: FakeTelegram, channel: TelegramChannel
) -> None:
    bot = channel.app.bot
    line = "Dòng &lt;dài&gt; của <b>báo cáo</b> xuất khẩu\n"
    reply = Reply(template="errors/generic", choices=(Choice(key="ok", text="OK"),))
    markup = keyboard(present(RENDERER, Outcome(replies=[reply]), Format.HTML)[0], 3)
    await send_text(bot, "513", line * 200, markup)
    parts = fake.sent_to(513)
    assert len(parts) == 3 and all(len(p.params["text"]) <= 4096 for p in parts)
    assert [bool(p.params.get("reply_markup")) for p in parts] == [False, False, True]
    outcome = Outcome(
        chat_id="513",
        replies=[
            Reply(template="errors/generic",
                  document=Document(filename="hoso.xlsx", content=b"PK\x03\x04", mime="x")),
            Reply(template="errors/generic", photo="photo-file-id"),
        ],
    )
    await send_outcome(bot, RENDERER, outcome, "513")
    assert fake.calls("sendDocument")[-1].params["document"]["filename"] == "hoso.xlsx"
    photo = fake.calls("sendPhoto")[-1].params
    assert photo["photo"] == "photo-file-id" and photo["caption"].startswith("Xin lỗi")
    assert_clean(fake)


def test_updates_become_incoming_events() -> None:
    fake = FakeTelegram()
    fake.push_photo(7, file_id="big", file_size=90_000)
    fake.push_document(7, file_name="giay_phep.pdf")
    fake.push_sticker(7)
    fake.push_callback(7, "12:p:34", message_id=5)
    fake.push_callback(7, "forged", message_id=5)
    events = []
    for raw in fake._updates:
        event = incoming_from(Update.de_json(raw, None))
        assert event is not None
        events.append(event)
    photo, document, sticker, choice, forged = events
    assert photo.kind is InputKind.PHOTO and photo.attachment is not None
    assert (photo.attachment.file_id, photo.attachment.size) == ("big", 90_000)
    assert photo.update_key == "telegram:1"
    assert document.kind is InputKind.DOCUMENT and document.attachment is not None
    assert document.attachment.name == "giay_phep.pdf"
    assert document.attachment.mime == "application/pdf"
    assert sticker.kind is InputKind.OTHER
    assert (choice.kind, choice.menu_version, choice.choice) == (InputKind.CHOICE, 12, "p:34")
    assert forged.menu_version is None
    assert (photo.external_id, photo.chat_id, photo.display_name) == ("7", "7", "Lan")


async def test_many_users_in_one_batch_keep_their_own_order(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    users = range(700, 720)
    last = 0
    for user in users:  # all pushed before the bot's next poll: one batch of 60
        for text in ("/start", "1", "1"):
            last = fake.push_text(user, text)
    await fake.wait_for(lambda: fake.confirmed_offset > last, timeout=20)
    assert max(len(c.result) for c in fake.calls("getUpdates")) == 60
    counter = shown("onboarding/progress", position=1, total=6)
    name_question = shown("profile/ask_name", field="name", current="")
    for user in users:
        texts = [c.result["text"] for c in fake.sent_to(user)]
        assert texts[-1] == f"{counter}\n\n{name_question}", (user, texts)
    async with core.db.transaction() as store:
        for user in users:
            found = await store.users.find("telegram", str(user))
            assert found is not None
            assert (await store.conversations.state_of(found.id)).step == "onboarding.name"
    assert_clean(fake)


async def test_per_user_processor_orders_one_user_and_runs_others_alongside() -> None:
    processor = PerUserProcessor()
    first_may_finish = asyncio.Event()
    done: list[str] = []

    def update(user_id: int, update_id: int) -> Update:
        return Update.de_json({"update_id": update_id, "message": {
            "message_id": update_id, "date": 0, "text": "x",
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "A"}}}, None)

    async def work(name: str, gate: asyncio.Event | None = None) -> None:
        if gate is not None:
            await gate.wait()
        done.append(name)

    async with processor:
        slow = work("a1", first_may_finish)
        a1 = asyncio.create_task(processor.process_update(update(1, 1), slow))
        a2 = asyncio.create_task(processor.process_update(update(1, 2), work("a2")))
        b1 = asyncio.create_task(processor.process_update(update(2, 3), work("b1")))
        await b1  # another user is not held up by user 1's slow update
        assert done == ["b1"] and not a2.done()
        first_may_finish.set()
        await asyncio.gather(a1, a2)
    assert done == ["b1", "a1", "a2"]
