"""The monthly figures carry the Excel report on Telegram; Zalo and the terminal get the text."""

from __future__ import annotations

import asyncio
import base64
import io
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.outbox.telegram import TelegramTransport
from bot.outbox.transport import SendStatus
from fakes.telegram import TOKEN, FakeTelegram
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.feature import ReminderContext
from handlers.figures import FIGURES
from messages import Renderer
from storage import Database
from storage.models import Role
from tests.chat import ChatFor, Clock
from tests.cli.test_cli import _cli
from tests.figures.fixture import fill
from tests.outbox.support import VirtualTime
from tests.outbox.test_outage import run_until, sender_on
from tests.rounds.support import officer, outbox

FIRST_OF_JANUARY = datetime(2026, 12, 31, 17, 5, tzinfo=UTC)  # 00:05 on 1 January in Vietnam


async def _queue(db: Database, renderer: Renderer, config: HandlerConfig) -> int:
    queued = 0
    async with db.transaction() as store:
        ctx = ReminderContext(store=store, renderer=renderer, now=FIRST_OF_JANUARY,
                              config=config)
        for rule in FIGURES.reminder_rules:
            queued += await rule(ctx)
    return queued


async def _scheduled_province(db: Database, chat_for: ChatFor) -> None:
    """Hải Phòng asks for the monthly figures; two officers on Telegram, one on Zalo."""
    async with db.transaction() as store:
        await fill(store)
    first = await officer(db, chat_for, user="off1", province="HP")
    await officer(db, chat_for, user="off2", province="HP")
    zalo = chat_for("zoff", channel="zalo")
    await zalo.say("/menu")
    async with db.transaction() as store:
        found = await store.users.find("zalo", "zoff")
        assert found is not None
        await store.users.grant(found.id, Role.OFFICER, "HP", "test", zalo.clock())
    await first.say("/thongke")
    await first.press("f:monthly_on")


def _summary_title(content: bytes) -> str:
    """The place on the summary sheet of a workbook (which must open, for the year just ended)."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    assert sheet.title == "Tổng hợp"
    assert sheet["B3"].value == 2026
    return str(sheet["B2"].value)


async def test_telegram_officers_get_the_workbook_and_zalo_officers_the_text(
    chat_for: ChatFor, db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await _scheduled_province(db, chat_for)
    assert await _queue(db, renderer, config) == 3
    assert await _queue(db, renderer, config) == 0  # once per officer and month
    rows = {row["chat_id"]: row for row in outbox(tmp_path / "ocop.db", "figures:monthly:")}
    assert set(rows) == {"off1", "off2", "zoff"}
    for chat in ("off1", "off2"):
        document = rows[chat]["payload"]["document"]
        assert document["filename"] == "bao-cao-ocop-hp-2026-01.xlsx"
        assert _summary_title(base64.b64decode(document["data_b64"])) == "Hải Phòng"
        assert "Báo cáo Excel đính kèm" in rows[chat]["payload"]["text"]
    zalo = rows["zoff"]["payload"]
    assert "document" not in zalo
    assert "Số liệu OCOP tháng 01/2027 — Hải Phòng" in zalo["text"]
    assert "Telegram" in zalo["text"] and "/thongke" in zalo["text"]

    async with FakeTelegram() as fake:
        transport = TelegramTransport(TOKEN, fake.base_url)
        await transport.start()
        try:
            result = await transport.send("777", rows["off1"]["payload"])
        finally:
            await transport.stop()
    assert result.status is SendStatus.SENT and result.message_id is not None
    [call] = fake.sent_to("777")
    assert call.method == "sendDocument"
    received = call.params["document"]
    assert received["filename"] == "bao-cao-ocop-hp-2026-01.xlsx"
    assert _summary_title(received["content"]) == "Hải Phòng"
    assert "Số liệu OCOP tháng 01/2027" in call.params["caption"]


async def test_a_caption_too_long_goes_as_the_file_then_the_text() -> None:
    text = "Số liệu " + "rất dài " * 200
    payload = {"text": text, "format": "plain",
               "document": {"filename": "a.xlsx", "mime": "application/octet-stream",
                            "data_b64": base64.b64encode(b"PK-bytes").decode()}}
    async with FakeTelegram() as fake:
        transport = TelegramTransport(TOKEN, fake.base_url)
        await transport.start()
        try:
            result = await transport.send("778", payload)
        finally:
            await transport.stop()
    assert result.status is SendStatus.SENT
    calls = fake.sent_to("778")
    assert [c.method for c in calls] == ["sendDocument", "sendMessage"]
    assert calls[0].params["document"]["content"] == b"PK-bytes"
    assert calls[1].params["text"] == text


async def test_the_workbook_waits_for_the_morning_and_outlives_an_outage(
    chat_for: ChatFor, db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await _scheduled_province(db, chat_for)
    assert await _queue(db, renderer, config) == 3
    clock.now = FIRST_OF_JANUARY
    morning = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)  # 07:00 in Vietnam
    async with FakeTelegram() as fake:
        vt = VirtualTime(clock)
        sender, transport = await sender_on(db, fake, vt, quiet=(time(21), time(7)))
        try:
            for hour in range(6):  # the night: the rows are held for the morning
                clock.now = FIRST_OF_JANUARY + timedelta(hours=hour)
                await vt.drive(sender.drain_once())
            assert fake.calls("sendDocument") == [] and fake.calls("sendMessage") == []
            clock.now = morning
            fake.outage(502)
            await run_until(sender, db, vt, morning + timedelta(hours=2))
            assert fake.sent_to("off1") == []
            assert fake.calls("sendDocument", rejected=True)  # tried, refused, kept
            fake.end_outage()
            await run_until(sender, db, vt, morning + timedelta(hours=4))
        finally:
            await transport.stop()
    for chat in ("off1", "off2"):
        [call] = fake.sent_to(chat)  # once, after the outage
        assert call.method == "sendDocument"
        assert _summary_title(call.params["document"]["content"]) == "Hải Phòng"
    rows = outbox(tmp_path / "ocop.db", "figures:monthly:")
    assert {row["status"] for row in rows if row["channel"] == "telegram"} == {"sent"}
    for row in rows:  # once delivered, the outbox keeps the file's name, not its bytes
        if row["channel"] == "telegram":
            assert row["payload"]["document"] == {
                "filename": "bao-cao-ocop-hp-2026-01.xlsx",
                "mime": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@pytest.mark.slow  # `ocop-bot outbox status` runs as a real process
async def test_outbox_status_counts_the_rows_and_deleting_an_officer_deletes_the_file(
    chat_for: ChatFor, db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await _scheduled_province(db, chat_for)
    assert await _queue(db, renderer, config) == 3
    path = tmp_path / "ocop.db"
    shown = await asyncio.to_thread(_cli, path, "outbox", "status")
    assert shown.returncode == 0, shown.stderr
    assert "Telegram" in shown.stdout and "chờ gửi: 2" in shown.stdout
    assert "Zalo" in shown.stdout and "chờ gửi: 1" in shown.stdout
    leaving = chat_for("off2")
    await leaving.say("/xoadulieu")
    await leaving.press("d:del")
    await leaving.press("d:yes")
    assert leaving.templates[0] == "deletion/done"
    rows = outbox(path, "figures:monthly:")
    assert sorted(row["chat_id"] for row in rows) == ["off1", "zoff"]
    assert "document" in rows[0]["payload"]
