"""The console's invitations: the funnel, the print button's PDF, and the broadcast preview
saying how many of the audience cannot be reached."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.channels.webhook import build_app, serving
from bot.web.app import web_routes
from bot.web.context import Console
from messages import Renderer
from storage import Database
from tests.chat import Clock
from tests.claims.test_claim_flow import load_list
from tests.claims.test_invitations import read_back
from tests.web.support import CONFIG, csrf_of, seed, sign_in

BOT_CONFIG = CONFIG.model_copy(update={"telegram_bot_username": "ocop_test_bot"})


@pytest.fixture
async def http(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """A Vĩnh Long officer on a console that knows the bot's username, after an import."""
    seeded = await seed(db)
    await load_list(db, Renderer(), BOT_CONFIG, Clock(datetime.now(UTC)))
    console = Console(db=db, renderer=Renderer(), config=BOT_CONFIG)
    app = build_app(extra_routes=web_routes(console))
    async with serving(app, "127.0.0.1", 0) as port, httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=30
    ) as client:
        await sign_in(client, db, seeded.users["vl"])
        yield client


async def test_the_print_button_gives_one_page_per_unclaimed_producer(
    http: httpx.AsyncClient, tmp_path: Path
) -> None:
    page = await http.get("/web/invitations")
    assert page.status_code == 200 and "<b>4</b> chủ thể chưa xác nhận" in page.text
    answer = await http.post("/web/invitations", data={"csrf": csrf_of(page.text)})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    out = tmp_path / "giay-moi.pdf"
    out.write_bytes(answer.content)
    pages = read_back(out)
    assert len(pages) == 4 and all(link.startswith("https://t.me/ocop_test_bot?start=c")
                                   for _, link in pages)
    again = await http.get("/web/invitations")
    assert "<b>4</b> đã được in giấy mời → <b>0</b>" in again.text
    dashboard = await http.get("/web/")
    assert "4 → 0" in dashboard.text


async def test_the_broadcast_preview_counts_who_it_cannot_reach(
    http: httpx.AsyncClient,
) -> None:
    page = await http.get("/web/broadcasts")
    preview = await http.post("/web/broadcasts/preview", data={
        "csrf": csrf_of(page.text), "text": "Họp chủ thể OCOP ngày 20/12", "when": ""})
    assert preview.status_code == 200, preview.text
    assert "4 chủ thể trong danh sách của tỉnh chưa xác nhận" in preview.text
    assert 'href="/web/invitations"' in preview.text
