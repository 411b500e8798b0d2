"""The Zalo chat as the real API answers: photo fields, replays, slow photos, 403, 404, 429."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from itertools import pairwise

import pytest

from bot.channels.zalo import ZaloBot, to_incoming
from bot.channels.zalo_api import ZaloApi
from bot.cli.webhook import WebhookSetupError, webhook_info
from bot.config import Settings, TokenRefused
from fakes.zalo import FakeZalo, image_update, text_update
from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import InputKind, Outcome, Reply
from messages import Renderer
from storage import Database
from tests.chat import Clock


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    """The fake Zalo Bot API, with getUpdates held at most half a second."""
    server = FakeZalo(poll_cap=0.5)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def api(fake: FakeZalo) -> AsyncIterator[ZaloApi]:
    """Our client, pointed at the fake."""
    client = ZaloApi(fake.token, fake.base_url, timeout=2.0)
    yield client
    await client.aclose()


@pytest.fixture
def bot(dispatcher: Dispatcher, renderer: Renderer, api: ZaloApi) -> ZaloBot:
    """The Zalo adapter on the test dispatcher."""
    return ZaloBot(dispatcher, renderer, api, poll_timeout=1, retry_base=0.01, poll_gap=0.2)


@pytest.mark.parametrize("field", ["photo", "photo_url", "url"])
def test_a_photo_arrives_under_any_field_name(field: str) -> None:
    event = to_incoming(image_update("u-1", "https://f.zalo.me/a.jpg", "Nhãn", field=field))
    assert event is not None and event.kind is InputKind.PHOTO
    assert event.attachment is not None and event.attachment.url == "https://f.zalo.me/a.jpg"
    assert event.text == "Nhãn"


async def test_replayed_updates_are_polled_a_second_apart_and_answered_once(
    fake: FakeZalo, bot: ZaloBot
) -> None:
    """As measured on a live bot: a consumed update comes back on every poll, at once."""
    fake.replay_consumed = True
    fake.push(text_update("u-1", "/start"))
    task = asyncio.create_task(bot.run_polling())
    try:
        await fake.wait_for(lambda: bot.handled >= 4)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    polls = [c.at for c in fake.calls("getUpdates")]
    assert len(polls) >= 4
    assert min(b - a for a, b in pairwise(polls)) >= 0.2 * 0.95
    assert len(fake.calls("sendChatAction")) == 1  # typing only for the new update
    assert len(fake.texts("u-1")) == 1


async def test_an_update_replayed_after_a_restart_does_not_ask_again(
    fake: FakeZalo, db: Database, config: HandlerConfig, renderer: Renderer, clock: Clock,
    bot: ZaloBot, api: ZaloApi,
) -> None:
    update = text_update("u-2", "/start")
    await bot.handle_update(update)
    assert len(fake.texts("u-2")) == 1
    restarted = Dispatcher(db, config, renderer, clock=clock, features=FEATURES)
    again = await ZaloBot(restarted, renderer, api).handle_update(update)
    assert again is not None and again.duplicate
    assert len(fake.texts("u-2")) == 1 and len(fake.calls("sendChatAction")) == 1


async def test_a_photo_reply_is_one_message_with_its_caption(
    fake: FakeZalo, bot: ZaloBot
) -> None:
    fake.photo_delay = 0.3  # Zalo fetches the photo first; the reply waits for it
    outcome = Outcome(replies=[Reply(template="menu/coming_soon", photo="https://f.zalo.me/p.jpg")],
                      chat_id="u-3")
    await bot.deliver(outcome)
    [photo] = fake.calls("sendPhoto")
    assert photo.body["caption"] and fake.texts("u-3") == []


async def test_a_reply_photo_is_not_resent_after_a_timeout(
    fake: FakeZalo, dispatcher: Dispatcher, renderer: Renderer
) -> None:
    fake.photo_delay = 1.0
    slow = ZaloApi(fake.token, fake.base_url, timeout=0.3, photo_timeout=0.3)
    bot = ZaloBot(dispatcher, renderer, slow, retry_base=0.01)
    await bot.deliver(Outcome(
        replies=[Reply(template="menu/coming_soon", photo="https://f.zalo.me/p.jpg")],
        chat_id="u-4"))
    await slow.aclose()
    assert len(fake.calls("sendPhoto")) == 1


async def test_403_is_retried_and_429_is_not(fake: FakeZalo, bot: ZaloBot) -> None:
    fake.fail("sendMessage", 403)  # "Internal server error" in the docs' table
    await bot.deliver(Outcome(replies=[Reply(template="menu/coming_soon")], chat_id="u-5"))
    assert len(fake.calls("sendMessage")) == 2 and len(fake.delivered("u-5")) == 1
    fake.fail("sendMessage", 429, times=5)  # the quota: more tries only waste requests
    await bot.deliver(Outcome(replies=[Reply(template="menu/coming_soon")], chat_id="u-5"))
    assert len(fake.calls("sendMessage")) == 3


async def test_no_typing_when_the_quota_runs_low(
    fake: FakeZalo, dispatcher: Dispatcher, renderer: Renderer, api: ZaloApi
) -> None:
    bot = ZaloBot(dispatcher, renderer, api, typing_allowed=lambda: False)
    await bot.handle_update(text_update("u-6", "/start"))
    assert fake.calls("sendChatAction") == [] and len(fake.texts("u-6")) == 1


@pytest.mark.parametrize("code", [401, 404])
async def test_a_refused_token_stops_polling_with_one_line(
    fake: FakeZalo, bot: ZaloBot, code: int
) -> None:
    fake.fail("getMe", code)
    with pytest.raises(TokenRefused) as refused:
        await bot.run_polling()
    assert str(refused.value) == "Zalo refused the bot token: check ZALO_BOT_TOKEN"
    assert fake.calls("getUpdates") == []


async def test_webhook_info_says_polling_on_404_and_names_a_refused_token(
    fake: FakeZalo,
) -> None:
    settings = Settings(zalo_bot_token=fake.token, zalo_api_base_url=fake.base_url)
    assert await webhook_info(settings) == ["zalo: chưa có webhook (đang dùng long polling)"]
    fake.fail("getMe", 404)
    with pytest.raises(WebhookSetupError, match="Zalo từ chối token: kiểm tra ZALO_BOT_TOKEN"):
        await webhook_info(settings)
