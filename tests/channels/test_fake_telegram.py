"""The fake Bot API refuses what Telegram refuses, over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fakes.telegram import TOKEN, FakeTelegram
from fakes.telegram_checks import SPEC_PATH, Rejected, visible_text
from tests.channels.test_telegram_e2e import fake

__all__ = ["fake"]  # the fixture used by the tests below


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client."""
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def call(
    http: httpx.AsyncClient, fake: FakeTelegram, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST a JSON body to a method and return status and decoded answer."""
    response = await http.post(f"{fake.base_url}{TOKEN}/{method}", json=params)
    return response.status_code, response.json()


async def test_get_me_and_unknown_method(fake: FakeTelegram, http: httpx.AsyncClient) -> None:
    status, body = await call(http, fake, "getMe")
    assert status == 200 and body["result"]["is_bot"] is True
    status, body = await call(http, fake, "sendTelepathy", chat_id=1)
    assert status == 404 and body == {"ok": False, "error_code": 404, "description": "Not Found"}
    response = await http.post(f"{fake.base_url}999:wrong/getMe")
    assert response.status_code == 401


async def test_missing_required_field(fake: FakeTelegram, http: httpx.AsyncClient) -> None:
    status, body = await call(http, fake, "sendMessage", text="xin chào")
    assert status == 400 and "chat_id" in body["description"]
    status, body = await call(http, fake, "answerCallbackQuery")
    assert status == 400
    assert [c.method for c in fake.rejected] == ["sendMessage", "answerCallbackQuery"]


def test_full_check_reports_which_table_it_used(tmp_path: Path) -> None:
    without = FakeTelegram(spec_path=tmp_path / "missing.json")
    assert without.full_check is False
    assert without.table.lookup("sendmessage")[0] == "sendMessage"
    with pytest.raises(Rejected):
        without.table.lookup("sendSticker")
    if SPEC_PATH.is_file():
        full = FakeTelegram(spec_path=SPEC_PATH)
        assert full.full_check is True and full.table.lookup("sendSticker")[0] == "sendSticker"


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("<b>Tên:</b> HTX &lt;i&gt; &amp; Co", True),
        ('<a href="https://ocop.gov.vn">link</a> <code>x</code> <pre>y</pre>', True),
        ("<blockquote><i>trích</i></blockquote> &#39; &quot;", True),
        ("<b>chưa đóng", False),
        ("<b><i>sai thứ tự</b></i>", False),
        ("<div>không hỗ trợ</div>", False),
        ("R&D", False),
        ("1 < 2", False),
        ("&nbsp;", False),
        ("<br/>", False),
        ('<span class="x">a</span>', False),
    ],
)
async def test_html_check(
    fake: FakeTelegram, http: httpx.AsyncClient, text: str, accepted: bool
) -> None:
    status, body = await call(http, fake, "sendMessage", chat_id=5, text=text, parse_mode="HTML")
    assert (status == 200) is accepted, body
    if not accepted:
        assert body["description"].startswith("Bad Request: can't parse entities")


def test_visible_text_unescapes() -> None:
    assert visible_text("<b>a</b> &lt;b&gt; &amp;", "HTML") == "a <b> &"
    assert visible_text("a < b", None) == "a < b"


async def test_text_and_caption_limits(fake: FakeTelegram, http: httpx.AsyncClient) -> None:
    assert (await call(http, fake, "sendMessage", chat_id=5, text="x" * 4096))[0] == 200
    status, body = await call(http, fake, "sendMessage", chat_id=5, text="x" * 4097)
    assert status == 400 and "too long" in body["description"]
    assert (await call(http, fake, "sendMessage", chat_id=5, text=""))[0] == 400
    assert (await call(http, fake, "sendMessage", chat_id=5, text="<b> </b>",
                       parse_mode="HTML"))[0] == 400
    # the limit counts what the user sees, not the markup around it
    assert (await call(http, fake, "sendMessage", chat_id=5, text="<b>" + "y" * 4096 + "</b>",
                       parse_mode="HTML"))[0] == 200
    status, body = await call(http, fake, "sendPhoto", chat_id=5, photo="p1", caption="c" * 1025)
    assert status == 400 and "caption" in body["description"]
    assert (await call(http, fake, "sendPhoto", chat_id=5, photo="p1", caption="c" * 1024))[0] \
        == 200


async def test_callback_data_limit_counts_bytes(
    fake: FakeTelegram, http: httpx.AsyncClient
) -> None:
    def markup(data: str) -> dict[str, Any]:
        return {"inline_keyboard": [[{"text": "Chọn", "callback_data": data}]]}

    ok = await call(http, fake, "sendMessage", chat_id=5, text="a", reply_markup=markup("x" * 64))
    assert ok[0] == 200
    # 22 Vietnamese letters of 3 bytes each: 22 characters, 66 bytes
    status, body = await call(http, fake, "sendMessage", chat_id=5, text="a",
                              reply_markup=markup("ệ" * 22))
    assert status == 400 and body["description"] == "Bad Request: BUTTON_DATA_INVALID"


async def test_answer_callback_query_rules(fake: FakeTelegram, http: httpx.AsyncClient) -> None:
    fake.push_callback(7, "1:ok", message_id=1)
    updates = (await call(http, fake, "getUpdates"))[1]["result"]
    query_id = updates[0]["callback_query"]["id"]
    await call(http, fake, "getUpdates", offset=updates[0]["update_id"] + 1)
    assert fake.unanswered_callbacks() == [query_id]
    status, _ = await call(http, fake, "answerCallbackQuery", callback_query_id=query_id,
                           text="t" * 201)
    assert status == 400
    assert (await call(http, fake, "answerCallbackQuery", callback_query_id=query_id))[0] == 200
    assert fake.answered(query_id) and fake.unanswered_callbacks() == []
    status, body = await call(http, fake, "answerCallbackQuery", callback_query_id=query_id)
    assert status == 400 and "query is too old" in body["description"]


async def test_offsets_confirm_and_drop_updates(
    fake: FakeTelegram, http: httpx.AsyncClient
) -> None:
    first = fake.push_text(7, "một")
    second = fake.push_text(7, "hai")
    batch = (await call(http, fake, "getUpdates"))[1]["result"]
    assert [u["update_id"] for u in batch] == [first, second]
    again = (await call(http, fake, "getUpdates", offset=first))[1]["result"]
    assert [u["update_id"] for u in again] == [first, second]  # not confirmed yet: re-delivered
    rest = (await call(http, fake, "getUpdates", offset=second))[1]["result"]
    assert [u["message"]["text"] for u in rest] == ["hai"]
    assert (await call(http, fake, "getUpdates", offset=second + 1))[1]["result"] == []
    assert fake.confirmed_offset == second + 1 and fake.pending_updates() == 0
    twice = fake.push_text(7, "lặp", times=2)
    batch = (await call(http, fake, "getUpdates", offset=second + 1))[1]["result"]
    assert [u["update_id"] for u in batch] == [twice, twice]


async def test_long_poll_wakes_when_an_update_is_pushed(
    fake: FakeTelegram, http: httpx.AsyncClient
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(call(http, fake, "getUpdates", timeout=20))
    await fake.wait_for(lambda: fake.calls("getMe") or True)  # let the poll reach the server
    fake.push_text(7, "dậy")
    status, body = await asyncio.wait_for(poll, 5)
    assert status == 200 and body["result"][0]["message"]["text"] == "dậy"
    assert loop.time() - started < 5
    status, body = await call(http, fake, "getUpdates", timeout=0)
    assert status == 200


async def test_flood_control_per_chat_and_global(http: httpx.AsyncClient) -> None:
    async with FakeTelegram(per_chat_rate=1.0) as fake:
        assert (await call(http, fake, "sendMessage", chat_id=1, text="a"))[0] == 200
        status, body = await call(http, fake, "sendMessage", chat_id=1, text="b")
        assert status == 429
        assert body["parameters"]["retry_after"] >= 1
        assert body["description"].startswith("Too Many Requests: retry after")
        assert (await call(http, fake, "sendMessage", chat_id=2, text="c"))[0] == 200
    async with FakeTelegram(global_rate=3) as fake:
        statuses = [(await call(http, fake, "sendMessage", chat_id=n, text="x"))[0]
                    for n in range(5)]
        assert statuses[:3] == [200, 200, 200] and 429 in statuses[3:]


async def test_blocked_chat_gets_403(fake: FakeTelegram, http: httpx.AsyncClient) -> None:
    fake.blocked.add("42")
    status, body = await call(http, fake, "sendMessage", chat_id=42, text="a")
    assert status == 403 and body["description"] == "Forbidden: bot was blocked by the user"
    assert fake.sent_to(42) == []


async def test_form_and_multipart_bodies(fake: FakeTelegram, http: httpx.AsyncClient) -> None:
    markup = json.dumps({"inline_keyboard": [[{"text": "OK", "callback_data": "1:ok"}]]})
    response = await http.post(
        f"{fake.base_url}{TOKEN}/sendMessage",
        data={"chat_id": "9", "text": "123", "reply_markup": markup},
    )
    assert response.status_code == 200
    sent = fake.sent_to(9)[0].params
    assert sent["text"] == "123" and sent["chat_id"] == 9
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "1:ok"
    response = await http.post(
        f"{fake.base_url}{TOKEN}/sendDocument",
        data={"chat_id": "9", "caption": "<b>Hồ sơ</b>", "parse_mode": "HTML"},
        files={"document": ("hoso.xlsx", b"PK\x03\x04data", "application/octet-stream")},
    )
    assert response.status_code == 200, response.text
    document = fake.sent_to(9)[1].params["document"]
    assert document["filename"] == "hoso.xlsx" and document["content"] == b"PK\x03\x04data"


async def test_commands_webhook_and_files(fake: FakeTelegram, http: httpx.AsyncClient) -> None:
    commands = [{"command": "start", "description": "Bắt đầu"}]
    assert (await call(http, fake, "setMyCommands", commands=commands))[0] == 200
    assert (await call(http, fake, "getMyCommands"))[1]["result"] == commands
    bad = [{"command": "Bắt-đầu", "description": "x"}]
    assert (await call(http, fake, "setMyCommands", commands=bad))[0] == 400
    assert (await call(http, fake, "deleteMyCommands"))[0] == 200
    assert (await call(http, fake, "getMyCommands"))[1]["result"] == []
    assert (await call(http, fake, "setWebhook", url="https://example.org/hook"))[0] == 200
    assert (await call(http, fake, "getWebhookInfo"))[1]["result"]["url"].endswith("/hook")
    assert (await call(http, fake, "getUpdates"))[0] == 409
    assert (await call(http, fake, "deleteWebhook"))[0] == 200
    fake.add_file("f1", b"anh")
    path = (await call(http, fake, "getFile", file_id="f1"))[1]["result"]["file_path"]
    download = await http.get(f"http://127.0.0.1:{fake.port}/file/bot{TOKEN}/{path}")
    assert download.content == b"anh"
    assert (await call(http, fake, "sendChatAction", chat_id=1, action="typing"))[0] == 200


async def test_edit_message_text(fake: FakeTelegram, http: httpx.AsyncClient) -> None:
    sent = (await call(http, fake, "sendMessage", chat_id=3, text="0/10"))[1]["result"]
    edit = {"chat_id": 3, "message_id": sent["message_id"]}
    assert (await call(http, fake, "editMessageText", text="5/10", **edit))[0] == 200
    status, body = await call(http, fake, "editMessageText", text="5/10", **edit)
    assert status == 400 and "not modified" in body["description"]
    status, _ = await call(http, fake, "editMessageText", chat_id=3, message_id=99, text="x")
    assert status == 400


def test_runs_in_a_thread_and_waits_synchronously() -> None:
    fake = FakeTelegram()
    with fake.running_in_thread():
        response = httpx.post(f"{fake.base_url}{TOKEN}/sendMessage",
                              json={"chat_id": 1, "text": "từ luồng khác"})
        assert response.status_code == 200
        found = fake.wait_for_sync(lambda: fake.sent_to(1), timeout=5)
        assert found[0].params["text"] == "từ luồng khác"
        with pytest.raises(TimeoutError):
            fake.wait_for_sync(lambda: fake.sent_to(2), timeout=0.05)


async def test_hold_keeps_a_request_waiting_until_released(
    fake: FakeTelegram, http: httpx.AsyncClient
) -> None:
    fake.hold("sendMessage")
    sending = asyncio.create_task(call(http, fake, "sendMessage", chat_id=1, text="chờ"))
    await fake.wait_for(lambda: fake.holding == 1)
    assert fake.sent_to(1) == [] and not sending.done()
    fake.release("sendMessage")
    status, _ = await asyncio.wait_for(sending, 5)
    assert status == 200 and fake.holding == 0 and len(fake.sent_to(1)) == 1


async def test_limits_count_utf16_units_as_telegram_does(
    fake: FakeTelegram, http: httpx.AsyncClient
) -> None:
    # an emoji outside the BMP is one character to Python and two units to Telegram
    assert (await call(http, fake, "sendMessage", chat_id=5, text="😀" * 2048))[0] == 200
    status, body = await call(http, fake, "sendMessage", chat_id=5, text="😀" * 2049)
    assert status == 400 and "too long" in body["description"]
    status, body = await call(http, fake, "sendPhoto", chat_id=5, photo="p1", caption="😀" * 513)
    assert status == 400 and "caption" in body["description"]


async def test_refuse_html_answers_cant_parse_entities(
    fake: FakeTelegram, http: httpx.AsyncClient
) -> None:
    fake.refuse_html = True
    status, body = await call(http, fake, "sendMessage", chat_id=5, text="<b>a</b>",
                              parse_mode="HTML")
    assert status == 400 and "can't parse entities" in body["description"]
    assert (await call(http, fake, "sendMessage", chat_id=5, text="<b>a</b>"))[0] == 200
