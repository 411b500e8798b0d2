"""The chart as a PNG on Telegram, the Excel report in chat and from the command line."""

from __future__ import annotations

import asyncio
import io
import struct
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.channels.telegram import TelegramChannel
from bot.charts import HEIGHT, WIDTH, render_png
from bot.core import Core
from fakes.telegram import FakeTelegram
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Chart, Series
from handlers.figures.report import report_file
from messages import Renderer
from storage import Database
from storage.models import Role
from tests.channels.test_telegram_e2e import TgUser, assert_clean, channel, core, fake
from tests.chat import ChatFor, Clock
from tests.cli.test_cli import _audit, _cli
from tests.figures.fixture import NOW, TODAY, fill
from tests.rounds.support import officer

__all__ = ["channel", "core", "fake"]  # fixtures used by the tests below

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header chunk."""
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_chart_is_a_phone_sized_png_with_vietnamese_words() -> None:
    chart = Chart(
        title="Sản phẩm OCOP — Hải Phòng, 2026", years_title="Sản phẩm mới được công nhận",
        years=("2023", "2024", "2025", "2026"),
        stacks=tuple(Series(label=f"{s}★", values=(1.0, 2.0, 0.0, 3.0)) for s in (3, 4, 5)),
        target=Series(label="Chỉ tiêu", values=(None, None, 5.0, 8.0)),
        bars_title="Sản phẩm còn hiệu lực theo nhóm",
        bars=(("Thực phẩm", 12), ("Dược liệu và sản phẩm từ dược liệu", 3)),
    )
    data = render_png(chart)
    assert png_size(data) == (WIDTH, HEIGHT)
    assert len(data) > 20_000  # bars, lines and words drawn, not a blank page


async def test_thongke_on_telegram_sends_the_chart_and_the_report(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    async with core.db.transaction() as store:
        await fill(store)
    user = TgUser(fake, 701)
    await user.say("/menu")
    async with core.db.transaction() as store:
        found = await store.users.find("telegram", "701")
        assert found is not None
        await store.users.grant(found.id, Role.OFFICER, "HP", "test", NOW)
    await user.say("/thongke")
    photos = [c for c in user.last if c.method == "sendPhoto"]
    assert len(photos) == 1
    upload = photos[0].params["photo"]
    assert upload["filename"].endswith(".png")
    assert png_size(upload["content"]) == (WIDTH, HEIGHT)
    assert any("Thống kê OCOP" in (c.params.get("text") or "") for c in user.last)
    await user.press("f:report")
    sheets = [c for c in user.last if c.method == "sendDocument"]
    assert sheets and sheets[0].params["document"]["filename"].endswith(".xlsx")
    assert not [c for c in user.last if c.method == "sendPhoto"]  # no second chart for a file
    assert_clean(fake)


async def test_terminal_shows_the_same_figures_as_text(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    async with db.transaction() as store:
        await fill(store)
    off = await officer(db, chat_for, province="HP")
    off.channel = "terminal"
    await off.say("/menu")
    async with db.transaction() as store:
        found = await store.users.find("terminal", off.user)
        assert found is not None
        await store.users.grant(found.id, Role.OFFICER, "HP", "test", NOW)
    await off.say("/canbo")
    await off.press("o:fig")
    assert off.templates == ["figures/screen"]
    assert "Sản phẩm OCOP còn hiệu lực: 4 (3★ 1 · 4★ 2 · 5★ 1)" in off.text


async def test_the_report_has_a_summary_a_sheet_per_breakdown_charts_and_dates(
    db: Database, renderer: Renderer
) -> None:
    async with db.transaction() as store:
        await fill(store)
        await store.targets.set("HP", 2026, 5, by="cli", now=NOW)
        document = await report_file(store, renderer, "vi", "HP", 2026, TODAY)
        country = await report_file(store, renderer, "vi", None, 2026, TODAY)
    book = load_workbook(io.BytesIO(document.content))
    assert book.sheetnames == ["Tổng hợp", "Theo năm", "Theo xã, phường", "Theo nhóm sản phẩm",
                               "Theo tỉnh cũ"]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Tỉnh, thành phố"] == "Hải Phòng"
    assert summary["Số liệu đến ngày"].date() == date(2026, 12, 1)
    assert book["Tổng hợp"]["B4"].number_format == "dd/mm/yyyy"
    assert summary["Sản phẩm OCOP còn hiệu lực"] == 4
    assert summary["Sản phẩm mới được công nhận trong năm"] == 2
    assert summary["Còn thiếu so với chỉ tiêu"] == 3
    assert summary["Giấy chứng nhận sắp hết hạn (trong 90 ngày tới)"] == 2
    assert summary["Hồ sơ: Đã gửi, chờ tiếp nhận"] == 1
    communes = list(book["Theo xã, phường"].iter_rows(values_only=True))
    assert communes[0][:3] == ("Tên", "Còn hiệu lực", "3 sao")
    assert communes[1:] == [("An Lão", 3, 1, 1, 1, 2, 1, 1, 2), ("Tứ Kỳ", 1, 0, 1, 0, 0, 1, 1, 1)]
    years = list(book["Theo năm"].iter_rows(values_only=True))
    assert years[-1] == (2026, 0, 1, 1, 2, 5)
    for name in ("Tổng hợp", "Theo năm", "Theo xã, phường"):
        assert book[name]._charts, f"no chart on {name}"
    national = load_workbook(io.BytesIO(country.content))
    assert national.sheetnames[2] == "Theo tỉnh"
    provinces = list(national["Theo tỉnh"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in provinces] == [("Hải Phòng", 4), ("Hà Nội", 1)]


@pytest.mark.slow  # runs the ocop-bot command line in a subprocess
def test_cli_sets_targets_and_writes_the_report(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    done = _cli(db_path, "--create", "target", "set", "--province", "Hải Phòng",
                "--year", "2026", "--products", "22")
    assert done.returncode == 0, done.stderr
    assert "Chỉ tiêu của HP năm 2026 (toàn tỉnh): 22" in done.stdout
    done = _cli(db_path, "target", "set", "--province", "HP", "--year", "2026",
                "--products", "4", "--stars", "5")
    assert done.returncode == 0, done.stderr
    shown = _cli(db_path, "target", "show", "--province", "HP", "--year", "2026")
    assert "HP 2026 toàn tỉnh: 22" in shown.stdout and "HP 2026 5 sao: 4" in shown.stdout
    refused = _cli(db_path, "target", "set", "--province", "HP", "--year", "2026",
                   "--products", "-3")
    assert refused.returncode != 0
    wrong = _cli(db_path, "report", "--province", "HP", "--year", "2026",
                 str(tmp_path / "r.pdf"))
    assert wrong.returncode == 2 and ".xlsx" in wrong.stderr
    assert not (tmp_path / "r.pdf").exists()
    out = tmp_path / "bao-cao.xlsx"
    done = _cli(db_path, "report", "--province", "HP", "--year", "2026", str(out))
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Chỉ tiêu năm (sản phẩm mới được công nhận)"] == 22
    actions = asyncio.run(_audit(db_path))
    assert ("figures_report_exported", "province:HP") in actions
    assert ("target_set", "province:HP") in actions
