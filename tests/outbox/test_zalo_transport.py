"""The Zalo outbox transport against the fake Zalo Bot API: every error class."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.channels.zalo_api import ZaloApi
from bot.outbox.transport import SendResult, SendStatus, Transport
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


async def test_long_text_goes_in_parts_the_first_as_the_photos_caption(
    fake: FakeZalo, transport: ZaloTransport
) -> None:
    text = "\n".join(f"Dòng {n}: " + "x" * 80 for n in range(60))
    result = await transport.send(
        "u-1", {"text": text, "format": "plain", "photo": "https://f.zalo.me/p.jpg"}
    )
    assert result.status is SendStatus.SENT
    assert fake.calls()[0].method == "sendPhoto"
    caption = fake.calls("sendPhoto")[0].body["caption"]
    parts = [caption, *fake.texts("u-1")]
    assert len(parts) >= 3 and all(len(p) <= 2000 for p in parts)
    assert "\n".join(parts) == text


async def test_a_photo_and_its_text_are_one_message(
    fake: FakeZalo, transport: ZaloTransport
) -> None:
    result = await transport.send(
        "u-1", {"text": "<b>Ảnh</b> mẫu nhãn", "format": "html",
                "photo": "https://f.zalo.me/p.jpg"}
    )
    assert result.status is SendStatus.SENT and result.message_id
    assert [c.body for c in fake.calls("sendPhoto")] == [
        {"chat_id": "u-1", "photo": "https://f.zalo.me/p.jpg", "caption": "Ảnh mẫu nhãn"}
    ]
    assert fake.texts("u-1") == []


async def _slow_photo(fake: FakeZalo, photo_timeout: float) -> SendResult:
    """Send a photo Zalo takes a second to fetch, with texts timing out after 0.3 s."""
    fake.photo_delay = 1.0
    api = ZaloApi(fake.token, fake.base_url, timeout=0.3, photo_timeout=photo_timeout)
    result = await ZaloTransport(api).send(
        "u-1", {"text": "Nhãn", "format": "plain", "photo": "https://f.zalo.me/p.jpg"})
    await api.aclose()
    return result


async def test_a_slow_send_photo_is_waited_for(fake: FakeZalo) -> None:
    """Zalo fetches the photo before it answers: the text timeout does not apply."""
    result = await _slow_photo(fake, photo_timeout=5.0)
    assert result.status is SendStatus.SENT and result.message_id
    assert len(fake.calls("sendPhoto")) == 1
    assert ZaloApi("1:x").photo_timeout >= 150  # the default, as a production client waits


async def test_a_photo_unanswered_in_time_is_not_sent_again(fake: FakeZalo) -> None:
    result = await _slow_photo(fake, photo_timeout=0.3)
    assert result.status is SendStatus.SENT  # may have arrived: never sent blindly again
    assert len(fake.calls("sendPhoto")) == 1 and fake.texts("u-1") == []


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (403, _error(403, "Internal server error"), SendStatus.TRANSIENT),
        (403, _error(403, "User has blocked the bot"), SendStatus.BLOCKED),
        (200, _error(-201, "User not found or unfollowed the bot"), SendStatus.BLOCKED),
        (429, _error(429, "Quota exceeded"), SendStatus.QUOTA),
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


async def test_the_fake_answers_as_the_docs_error_table_says(
    fake: FakeZalo, transport: ZaloTransport
) -> None:
    fake.fail("sendMessage", 403)
    assert (await transport.send("u-1", {"text": "a", "format": "plain"})).status is (
        SendStatus.TRANSIENT)
    fake.quota = 1
    assert (await transport.send("u-1", {"text": "b", "format": "plain"})).status is (
        SendStatus.SENT)
    refused = await transport.send("u-1", {"text": "c", "format": "plain"})
    assert refused.status is SendStatus.QUOTA and "Quota exceeded" in (refused.error or "")
    assert refused.retry_after and refused.retry_after >= 60  # held long, not for seconds
    fake.reset_quota()
    assert (await transport.send("u-1", {"text": "c", "format": "plain"})).status is (
        SendStatus.SENT)
    assert fake.delivered("u-1") == ["b", "c"]


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
