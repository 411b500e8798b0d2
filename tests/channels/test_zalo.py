"""The Zalo adapter against the fake Zalo Bot API over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.channels.zalo import ZaloBot, to_incoming, unwrap
from bot.channels.zalo_api import ZaloApi, ZaloError
from bot.config import TokenRefused
from fakes.zalo import FakeZalo, image_update, sticker_update, text_update
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Choice, InputKind, Outcome, Reply
from messages import Renderer


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    """The fake Zalo Bot API, with getUpdates held at most one second."""
    server = FakeZalo(poll_cap=1.0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def api(fake: FakeZalo) -> AsyncIterator[ZaloApi]:
    """Our client, pointed at the fake."""
    client = ZaloApi(fake.token, fake.base_url)
    yield client
    await client.aclose()


@pytest.fixture
def bot(dispatcher: Dispatcher, renderer: Renderer, api: ZaloApi) -> ZaloBot:
    """The Zalo adapter on the test dispatcher."""
    return ZaloBot(dispatcher, renderer, api, poll_timeout=1, retry_base=0.01,
                  poll_gap=0.02)


def test_text_update_becomes_incoming_with_dedupe_key() -> None:
    event = to_incoming(text_update("u-1", "  xin chao "))
    assert event is not None
    assert (event.channel, event.external_id, event.chat_id) == ("zalo", "u-1", "u-1")
    assert event.kind is InputKind.TEXT and event.text == "xin chao"
    assert event.update_key is not None and event.update_key.startswith("zalo:m")
    assert event.at.year >= 2025  # milliseconds were read as milliseconds


def test_image_sticker_and_unsupported_updates() -> None:
    photo = to_incoming(image_update("u-1", "https://f.zalo.me/a.jpg", caption="Mặt trước"))
    assert photo is not None and photo.kind is InputKind.PHOTO
    assert photo.attachment is not None and photo.attachment.url == "https://f.zalo.me/a.jpg"
    assert photo.attachment.file_id == "https://f.zalo.me/a.jpg" and photo.text == "Mặt trước"
    sticker = to_incoming(sticker_update("u-1"))
    assert sticker is not None and sticker.kind is InputKind.OTHER
    assert to_incoming({"event_name": "message.unsupported.received"}) is None


def test_webhook_bodies_flat_and_wrapped() -> None:
    update = text_update("u-1", "hi")
    assert unwrap(update) == update
    assert unwrap({"ok": True, "result": update}) == update
    assert unwrap({"ok": True, "result": "nope"}) is None
    assert unwrap([update]) is None
    assert unwrap({"message": {}}) is None


async def test_fake_refuses_unknown_methods_long_texts_and_bad_tokens(
    fake: FakeZalo, api: ZaloApi
) -> None:
    with pytest.raises(ZaloError) as unknown:
        await api.call("sendVoice", chat_id="u-1")
    assert unknown.value.code == 404
    with pytest.raises(ZaloError) as long_text:
        await api.call("sendMessage", chat_id="u-1", text="x" * 2001)
    assert long_text.value.code == 400
    with pytest.raises(ValueError):
        await api.send_message("u-1", "x" * 2001)
    wrong = ZaloApi("1:wrong", fake.base_url)
    with pytest.raises(ZaloError) as unauthorized:
        await wrong.get_me()
    await wrong.aclose()
    assert unauthorized.value.code == 401
    assert [c.method for c in fake.calls()] == ["sendVoice", "sendMessage", "getMe"]


async def test_idle_poll_is_none_and_one_update_per_call(fake: FakeZalo, api: ZaloApi) -> None:
    fake.poll_cap = 0.2
    assert await api.get_update(timeout=1) is None
    fake.push(text_update("u-1", "một"))
    fake.push(text_update("u-1", "hai"))
    first, second = await api.get_update(1), await api.get_update(1)
    assert first is not None and first["message"]["text"] == "một"
    assert second is not None and second["message"]["text"] == "hai"
    assert fake.calls("getUpdates")[0].body == {"timeout": "1"}


async def test_polling_answers_with_numbered_choices_after_typing(
    fake: FakeZalo, bot: ZaloBot
) -> None:
    fake.poll_cap = 0.2  # idle polls come back quickly
    fake.push(text_update("u-1", "/start"))
    task = asyncio.create_task(bot.run_polling())
    try:
        await fake.wait_for(lambda: bot.handled == 1)
        fake.push(text_update("u-1", "1"))  # picks "Tiếng Việt" by number
        await fake.wait_for(lambda: bot.handled == 2)
        await fake.wait_for(lambda: len(fake.calls("getUpdates")) >= 4)  # idle 408s go on
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    methods = [c.method for c in fake.calls() if c.method != "getUpdates"]
    assert methods[:3] == ["getMe", "deleteWebhook", "sendChatAction"]
    texts = fake.texts("u-1")
    assert "1. Tiếng Việt" in texts[0] and "2. English" in texts[0]
    assert "1. Đồng ý" in texts[-1]  # the consent question came next


async def test_same_update_twice_is_answered_once(fake: FakeZalo, bot: ZaloBot) -> None:
    update = text_update("u-1", "/start")
    first = await bot.handle_update(update)
    second = await bot.handle_update(update)
    assert first is not None and not first.duplicate
    assert second is not None and second.duplicate
    assert len(fake.texts("u-1")) == 1


async def test_words_without_diacritics_and_zero_pick_choices(
    fake: FakeZalo, bot: ZaloBot
) -> None:
    await bot.handle_update(text_update("u-2", "bat dau"))
    await bot.handle_update(text_update("u-2", "tieng viet"))
    await bot.handle_update(text_update("u-2", "dong y"))
    assert "HTX" in fake.texts("u-2")[-1] or "tên" in fake.texts("u-2")[-1].lower()
    await bot.handle_update(text_update("u-2", "0"))
    assert "1. ✅ Bắt đầu đăng ký" in fake.texts("u-2")[-1]


async def test_sticker_and_photo_get_a_polite_answer(fake: FakeZalo, bot: ZaloBot) -> None:
    await bot.handle_update(text_update("u-3", "menu"))
    before = len(fake.texts("u-3"))
    await bot.handle_update(sticker_update("u-3"))
    await bot.handle_update(image_update("u-3", "https://f.zalo.me/x.jpg"))
    answers = fake.texts("u-3")[before:]
    assert len(answers) == 2  # "pick a choice", then the menu again, for each
    assert "1. ✅ Bắt đầu đăng ký" in answers[0] and "1. ✅ Bắt đầu đăng ký" in answers[1]


async def test_long_replies_are_split_under_the_limit(
    fake: FakeZalo, bot: ZaloBot
) -> None:
    choices = tuple(Choice(key=f"k:{n}", text=f"Lựa chọn số {n} " + "x" * 90) for n in range(60))
    outcome = Outcome(
        replies=[Reply(template="menu/coming_soon", choices=choices)], chat_id="u-4"
    )
    await bot.deliver(outcome)
    texts = fake.texts("u-4")
    assert len(texts) >= 3 and all(len(text) <= 2000 for text in texts)
    joined = "\n".join(texts)
    assert "1. Lựa chọn số 0" in joined and "60. Lựa chọn số 59" in joined


async def test_photo_reply_and_document_note(fake: FakeZalo, bot: ZaloBot) -> None:
    from handlers.engine.events import Document

    outcome = Outcome(
        replies=[
            Reply(template="menu/coming_soon", photo="https://f.zalo.me/p.jpg"),
            Reply(
                template="menu/coming_soon",
                document=Document(filename="sp.xlsx", content=b"x", mime="application/x"),
            ),
        ],
        chat_id="u-5",
    )
    await bot.deliver(outcome)
    assert [c.body["photo"] for c in fake.calls("sendPhoto")] == ["https://f.zalo.me/p.jpg"]
    assert "sp.xlsx" in fake.texts("u-5")[-1]


async def test_transient_send_errors_are_retried(fake: FakeZalo, bot: ZaloBot) -> None:
    fake.script("sendMessage", 502, "<html>bad gateway</html>")
    await bot.deliver(Outcome(replies=[Reply(template="menu/coming_soon")], chat_id="u-6"))
    assert len(fake.calls("sendMessage")) == 2


async def test_group_chats_get_only_a_private_only_note(fake: FakeZalo, bot: ZaloBot) -> None:
    group = text_update("g-1", "/start")
    group["message"]["chat"]["chat_type"] = "GROUP"
    chatter = text_update("g-1", "xin chào cả nhà")
    chatter["message"]["chat"]["chat_type"] = "GROUP"
    assert await bot.handle_update(group) is None
    assert await bot.handle_update(chatter) is None
    texts = fake.texts("g-1")
    assert len(texts) == 1 and "riêng" in texts[0]
    assert bot.handled == 2


async def test_polling_with_a_refused_token_stops_without_showing_it(
    fake: FakeZalo, dispatcher: Dispatcher, renderer: Renderer
) -> None:
    wrong = ZaloApi("42:not-the-token", fake.base_url)
    try:
        with pytest.raises(TokenRefused) as refused:
            await ZaloBot(dispatcher, renderer, wrong).run_polling()
    finally:
        await wrong.aclose()
    assert "ZALO_BOT_TOKEN" in str(refused.value) and "not-the-token" not in str(refused.value)
    assert [c.method for c in fake.calls()] in ([], ["getMe"])  # no polling with a bad token
