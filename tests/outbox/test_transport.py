"""The Telegram transport's error mapping, and reading the time of a scheduled broadcast."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.outbox.telegram import TelegramTransport, classify
from bot.outbox.transport import SendStatus
from fakes.telegram import TOKEN, FakeTelegram
from handlers.broadcasts.when import parse_when
from tests.outbox.support import ZONE


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (RetryAfter(7), SendStatus.RETRY_AFTER),
        (Forbidden("Forbidden: bot was blocked by the user"), SendStatus.BLOCKED),
        (BadRequest("Bad Request: can't parse entities"), SendStatus.FAILED),
        (TimedOut(), SendStatus.TRANSIENT),
        (NetworkError("Bad Gateway"), SendStatus.TRANSIENT),
    ],
)
def test_errors_map_to_what_the_sender_does_next(error: Exception, status: SendStatus) -> None:
    result = classify(error)
    assert result.status is status
    if status is SendStatus.RETRY_AFTER:
        assert result.retry_after == 7.0


async def test_sends_edits_and_reports_blocked_and_flood_through_the_fake() -> None:
    async with FakeTelegram(per_chat_rate=1.0) as fake:
        fake.blocked.add("42")
        transport = TelegramTransport(TOKEN, fake.base_url)
        await transport.start()
        try:
            sent = await transport.send("7", {"text": "<b>Xin chào</b> &amp; hẹn gặp",
                                              "format": "html"})
            flood = await transport.send("7", {"text": "again", "format": "plain"})
            blocked = await transport.send("42", {"text": "hi", "format": "plain"})
            assert sent.message_id is not None
            edited = await transport.edit("7", sent.message_id, {"text": "<i>đã sửa</i>",
                                                                  "format": "html"})
            same = await transport.edit("7", sent.message_id, {"text": "<i>đã sửa</i>",
                                                                "format": "html"})
        finally:
            await transport.stop()
    assert sent.status is SendStatus.SENT
    assert flood.status is SendStatus.RETRY_AFTER and (flood.retry_after or 0) >= 1
    assert blocked.status is SendStatus.BLOCKED
    assert edited.status is SendStatus.SENT and same.status is SendStatus.SENT  # not modified
    assert fake.calls("editMessageText")[-1].params["text"] == "<i>đã sửa</i>"


NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


@pytest.mark.parametrize(
    ("typed", "expected_local"),
    [
        ("14:30", datetime(2026, 12, 1, 14, 30)),
        ("8h", datetime(2026, 12, 2, 8, 0)),  # 08:00 today has passed: tomorrow
        ("08:00 25/12", datetime(2026, 12, 25, 8, 0)),
        ("25/12/2026 14:30", datetime(2026, 12, 25, 14, 30)),
        ("15/01 lúc 9h30", datetime(2027, 1, 15, 9, 30)),  # a date passed this year: next
    ],
)
def test_scheduled_times_are_read_in_vietnam_time(typed: str, expected_local: datetime) -> None:
    found = parse_when(typed, NOW, ZONE)
    assert found is not None
    assert found.astimezone(ZONE).replace(tzinfo=None) == expected_local


@pytest.mark.parametrize("typed", ["hôm qua", "09:00 30/11/2026", "25/13 08:00", "99:00",
                                   "08:00 01/06/2027"])
def test_past_impossible_or_far_times_are_refused(typed: str) -> None:
    assert parse_when(typed, NOW, ZONE) is None
