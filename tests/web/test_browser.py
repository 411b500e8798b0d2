"""The console in a real browser: sign in through a link from chat, review a dossier, record
results from a file, send an announcement and read its report; screenshots at 1280 and 375 px."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from openpyxl import Workbook
from playwright.async_api import expect

from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database, open_database
from storage.product_models import ProductStatus
from tests.chat import Chat, Clock
from tests.web.conftest import ARTIFACTS
from tests.web.support import Seeded, console_server, seed

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.browser]

PHONE, DESK = {"width": 375, "height": 800}, {"width": 1280, "height": 900}


def _png(width: int, height: int) -> bytes:
    """A plain green picture standing in for a product photo."""
    row = b"\x00" + bytes((47, 143, 87)) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw)
            + chunk(b"IEND", b""))


async def _photo(channel: str, file_id: str) -> tuple[bytes, str] | None:
    return _png(640, 420), "image/png"


# Waits for the dossier's first photo to load (a promise: the CSP forbids polling by eval).
LOADED = """() => new Promise(done => {
  const img = document.querySelector('.photos img');
  if (img.complete && img.naturalWidth > 0) { done(true); return; }
  img.addEventListener('load', () => done(true), {once: true});
})"""


@dataclass
class Desk:
    """A seeded database, the console served on it, and the officer's chat."""

    db: Database
    seeded: Seeded
    base: str
    officer: Chat


@pytest_asyncio.fixture(loop_scope="session")
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    """The console on a fresh database, and a Vĩnh Long officer's Telegram chat."""
    async with open_database(tmp_path / "ocop.db") as db:
        seeded = await seed(db)
        async with console_server(db, fetch_photo=_photo) as client:
            base = str(client.base_url).rstrip("/")
            clock = Clock(datetime.now(UTC))
            renderer = Renderer()
            dispatcher = Dispatcher(db, HandlerConfig(web_base_url=base), renderer,
                                    clock=clock, features=FEATURES)
            officer = Chat(dispatcher, renderer, clock, channel="telegram", user="100")
            yield Desk(db, seeded, base, officer)


async def _signed_in(browser: Any, desk: Desk, viewport: dict[str, int]) -> Any:
    """A page signed in through the link the officer got by typing /web in chat."""
    await desk.officer.say("/web")
    assert desk.officer.templates[0] == "web/link"
    url = desk.officer.last.replies[0].context["url"]
    context = await browser.new_context(viewport=viewport, locale="vi-VN")
    page = await context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    await page.goto(url)
    await page.click("#sign-in")
    await page.wait_for_url(f"{desk.base}/web/")
    return page


async def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def _fits(page: Any, width: int) -> None:
    """No horizontal scrolling of the page itself (wide tables scroll in their own box)."""
    assert await page.evaluate("document.documentElement.scrollWidth") <= width


async def _status(db: Database, pid: int) -> ProductStatus:
    async with db.reading() as store:
        product = await store.products.get(pid)
    assert product is not None
    return product.status


async def test_sign_in_from_chat_then_review_and_accept_a_dossier(
    browser: Any, desk: Desk
) -> None:
    page = await _signed_in(browser, desk, DESK)
    assert "Tổng quan: Vĩnh Long" in await page.inner_text("h1")
    await _shot(page, "dashboard-1280")
    await page.click("text=Chờ tiếp nhận")
    await page.click("text=Kẹo dừa Bến Tre")
    await page.evaluate(LOADED)  # the page's CSP allows no string evaluation in the page
    assert await page.evaluate("document.querySelector('.photos img').naturalWidth") == 640
    await _shot(page, "dossier-1280")
    await page.set_viewport_size(PHONE)
    await _fits(page, PHONE["width"])
    await _shot(page, "dossier-375")
    await page.click("#accept")
    assert "Đã tiếp nhận hồ sơ" in await page.inner_text("#outcome")
    assert await _status(desk.db, desk.seeded.products["submitted"]) is ProductStatus.ACCEPTED
    for path in ("/web/", "/web/products", "/web/results", "/web/rounds", "/web/trainings"):
        await page.goto(f"{desk.base}{path}")
        await _shot(page, "fit" + path.replace("/", "-"))
        await _fits(page, PHONE["width"])
    await page.goto(f"{desk.base}/web/")
    await _shot(page, "dashboard-375")
    await page.context.close()


async def test_upload_a_results_file_preview_and_confirm(
    browser: Any, desk: Desk, tmp_path: Path
) -> None:
    pid = desk.seeded.products["accepted"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Mã hồ sơ (product_id)", "score", "decision_number", "decision_date",
                  "certificate_number"])
    day = (datetime.now(UTC) - timedelta(days=1)).strftime("%d/%m/%Y")
    sheet.append([pid, 86, "20/QĐ-UBND", day, "VL-2026-086"])
    path = tmp_path / "ket-qua.xlsx"
    book.save(path)
    page = await _signed_in(browser, desk, DESK)
    await page.click("text=Kết quả đánh giá")
    await page.set_input_files("#file", str(path))
    await page.click("#check-file")
    assert "VL-2026-086" in await page.inner_text("#preview")
    assert await _status(desk.db, pid) is ProductStatus.ACCEPTED
    await _shot(page, "results-preview-1280")
    await page.click("#confirm")
    assert "Đã ghi 1 kết quả" in await page.inner_text("#recorded")
    assert await _status(desk.db, pid) is ProductStatus.CERTIFIED
    await page.context.close()


async def test_send_an_announcement_and_read_its_report(browser: Any, desk: Desk) -> None:
    page = await _signed_in(browser, desk, PHONE)
    await page.goto(f"{desk.base}/web/broadcasts")
    await _fits(page, PHONE["width"])
    await page.fill("#text", "Hội chợ OCOP Vĩnh Long khai mạc ngày 20/12.")
    assert await page.inner_text("#reach-accounts") == "1"
    await page.select_option("#f_commune", "Xã Tân Phú")
    await expect(page.locator("#reach-accounts")).to_have_text("1")
    await _shot(page, "broadcast-compose-375")
    await page.click("#preview")
    assert "Hội chợ OCOP" in await page.inner_text("#shown")
    await page.click("#send-test")
    assert "bản thử" in await page.inner_text("#test-sent")
    await page.click("#send")
    await page.wait_for_selector("#chart")
    waiting = await page.inner_text("[data-outcome=waiting]")
    assert waiting == "1"
    await _shot(page, "broadcast-report-375")
    await page.set_viewport_size(DESK)
    await _shot(page, "broadcast-report-1280")
    async with httpx.AsyncClient() as client:  # the photo route is not public either
        shut = await client.get(f"{desk.base}/web/broadcasts")
    assert shut.status_code == 401
    await page.context.close()



