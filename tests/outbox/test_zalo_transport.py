"""The Zalo outbox transport against the fake Zalo Bot API: every error class."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.channels.zalo_api import ZaloApi
from bot.outbox.transport import SendStatus, Transport
from bot.outbox.zalo import ZaloTransport
from fakes.zalo import FakeZalo


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    """The fake Zalo Bot API."""
    server = FakeZalo()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def transport(fake: FakeZalo) -> AsyncIterator[ZaloTransport]:
    """The transport, pointed at the fake."""
    api = ZaloApi(fake.token, fake.base_url, timeout=2.0)
    yield ZaloTransport(api)
    await api.aclose()


def _error(code: int, description: str) -> dict[str, object]:
    return {"ok": False, "error_code": code, "description": description}


async def test_sends_plain_text_and_returns_the_message_id(
    fake: FakeZalo, transport: ZaloTransport
) -> None:
    as_protocol: Transport = transport
    payload = {"text": "<b>Chúc mừng</b> &amp; hẹn gặp", "format": "html"}
    result = await as_protocol.send("u-1", payload)
    assert result.status is SendStatus.SENT and result.message_id
    assert fake.texts("u-1") == ["Chúc mừng & hẹn gặp"]


async def test_long_text_goes_in_parts_and_photo_first(
    fake: FakeZalo, transport: ZaloTransport
) -> None:
    text = "\n".join(f"Dòng {n}: " + "x" * 80 for n in range(60))
    result = await transport.send(
        "u-1", {"text": text, "format": "plain", "photo": "https://f.zalo.me/p.jpg"}
    )
    assert result.status is SendStatus.SENT
    assert fake.calls()[0].method == "sendPhoto"
    parts = fake.texts("u-1")
    assert len(parts) >= 3 and all(len(p) <= 2000 for p in parts)
    assert "\n".join(parts) == text


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (403, _error(403, "User has blocked the bot"), SendStatus.BLOCKED),
        (200, _error(-201, "User not found or unfollowed the bot"), SendStatus.BLOCKED),
        (429, {**_error(429, "Too Many Requests"), "parameters": {"retry_after": 7}},
         SendStatus.RETRY_AFTER),
        (502, "<html>Bad Gateway</html>", SendStatus.TRANSIENT),
        (500, _error(500, "Internal error"), SendStatus.TRANSIENT),
        (400, _error(400, "Bad Request: chat_id is invalid"), SendStatus.FAILED),
    ],
)
async def test_errors_are_classified(
    fake: FakeZalo,
    transport: ZaloTransport,
    status: int,
    body: dict[str, object] | str,
    expected: SendStatus,
) -> None:
    fake.script("sendMessage", status, body)
    result = await transport.send("u-1", {"text": "xin chào", "format": "plain"})
    assert result.status is expected
    assert result.error
    if expected is SendStatus.RETRY_AFTER:
        assert result.retry_after == 7


async def test_unreachable_server_is_transient(transport: ZaloTransport) -> None:
    dead = ZaloTransport(ZaloApi("1:x", "http://127.0.0.1:9/bot", timeout=1.0))
    result = await dead.send("u-1", {"text": "xin chào", "format": "plain"})
    await dead.api.aclose()
    assert result.status is SendStatus.TRANSIENT


async def test_edit_sends_a_new_message_at_most_once_a_minute(
    fake: FakeZalo, transport: ZaloTransport
) -> None:
    first = await transport.send("u-1", {"text": "Đang gửi 0/20", "format": "plain"})
    assert first.status is SendStatus.SENT and first.message_id
    progress = first.message_id
    soon = await transport.edit("u-1", progress, {"text": "Đã gửi 10/20", "format": "plain"})
    assert soon.status is SendStatus.RETRY_AFTER and soon.retry_after
    assert 0 < soon.retry_after <= 60
    assert fake.texts("u-1") == ["Đang gửi 0/20"]
    transport.edit_interval = 0
    final = await transport.edit("u-1", progress, {"text": "Xong 20/20", "format": "plain"})
    assert final.status is SendStatus.SENT
    assert fake.texts("u-1") == ["Đang gửi 0/20", "Xong 20/20"]
