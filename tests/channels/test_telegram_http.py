"""The aiohttp network layer under python-telegram-bot, over real HTTP to the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram_http import AiohttpRequest
from fakes.telegram import TOKEN, FakeTelegram
from tests.channels.test_telegram_e2e import fake
from tests.processes import free_port

__all__ = ["fake"]  # the fixture used by the tests below


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    """A Bot talking to the fake through AiohttpRequest."""
    async with Bot(TOKEN, base_url=fake.base_url, request=AiohttpRequest(read_timeout=2.0)) as b:
        yield b


async def test_text_and_parameters_arrive_as_sent(bot: Bot, fake: FakeTelegram) -> None:
    message = await bot.send_message(42, "Mật ong <b>hoa nhãn</b> &amp; chè", parse_mode="HTML",
                                     disable_notification=True)
    assert message.text == "Mật ong hoa nhãn & chè" and message.chat.id == 42
    (call,) = fake.calls("sendMessage")
    assert call.params["text"] == "Mật ong <b>hoa nhãn</b> &amp; chè"
    assert call.params["parse_mode"] == "HTML" and call.params["disable_notification"] is True


async def test_a_file_goes_as_multipart_with_its_name_and_type(bot: Bot,
                                                                fake: FakeTelegram) -> None:
    calendar = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    await bot.send_document(42, InputFile(calendar, filename="tap-huan.ics"),
                            caption="Lịch tập huấn")
    (call,) = fake.calls("sendDocument")
    assert call.params["caption"] == "Lịch tập huấn"
    document = call.params["document"]
    assert document["filename"] == "tap-huan.ics" and document["content"] == calendar
    assert document["content_type"] == "text/calendar"


async def test_refusals_become_telegrams_own_errors(bot: Bot, fake: FakeTelegram) -> None:
    with pytest.raises(BadRequest, match="text"):
        await bot.send_message(42, "")
    fake.outage(502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(42, "xin chào")
    fake.end_outage()
    await bot.send_message(42, "xin chào")
    assert [c.status for c in fake.rejected] == [400, 502]
    assert len(fake.calls("sendMessage")) == 1


async def test_flood_control_and_a_blocked_user(fake: FakeTelegram) -> None:
    async with (FakeTelegram(per_chat_rate=1.0) as limited,
                Bot(TOKEN, base_url=limited.base_url, request=AiohttpRequest()) as bot):
        await bot.send_message(7, "một")
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(7, "hai")
        assert refused.value.retry_after
    fake.blocked.add("9")
    async with Bot(TOKEN, base_url=fake.base_url, request=AiohttpRequest()) as bot:
        with pytest.raises(Forbidden):
            await bot.send_message(9, "xin chào")


async def test_an_answer_that_never_comes_is_a_timeout(bot: Bot, fake: FakeTelegram) -> None:
    fake.hold("sendMessage")
    sending = asyncio.create_task(bot.send_message(42, "xin chào", read_timeout=0.3))
    with pytest.raises(TimedOut):
        await sending
    fake.release("sendMessage")
    assert (await bot.send_message(42, "lần nữa")).text == "lần nữa"


async def test_nobody_listening_is_a_network_error() -> None:
    request = AiohttpRequest(connect_timeout=2.0)
    await request.initialize()
    with pytest.raises(NetworkError, match="aiohttp"):
        await request.post(f"http://127.0.0.1:{free_port()}/bot{TOKEN}/getMe")
    await request.shutdown()
    await request.shutdown()  # twice is harmless


async def test_a_request_after_shutdown_is_refused_until_initialised(fake: FakeTelegram) -> None:
    request = AiohttpRequest()
    await request.initialize()
    await request.shutdown()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{fake.base_url}{TOKEN}/getMe")
    await request.initialize()
    me = await request.post(f"{fake.base_url}{TOKEN}/getMe")
    assert isinstance(me, dict) and me["is_bot"] is True
    await request.shutdown()


@pytest.fixture
async def proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """A local HTTP proxy that answers every request itself and notes the URLs asked for."""
    asked: list[str] = []

    async def answer(request: web.Request) -> web.Response:
        asked.append(str(request.url))
        return web.json_response({"ok": True, "result": {"id": 1, "is_bot": True,
                                                         "first_name": "via proxy"}})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", asked
    await runner.cleanup()


async def test_a_configured_proxy_is_used_unless_the_host_is_exempt(
        fake: FakeTelegram, proxy: tuple[str, list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    address, asked = proxy
    url = f"{fake.base_url}{TOKEN}/getMe"
    monkeypatch.setenv("HTTP_PROXY", address)
    through = AiohttpRequest()
    await through.initialize()
    assert (await through.post(url))["first_name"] == "via proxy"
    assert asked == [url] and fake.calls("getMe") == []
    await through.shutdown()

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    direct = AiohttpRequest()
    await direct.initialize()
    assert (await direct.post(url))["first_name"] != "via proxy"
    assert len(asked) == 1 and len(fake.calls("getMe")) == 1
    await direct.shutdown()
