"""The criteria page in a real browser: an admin uploads a broken zip (refused, with the line and
the reason), then the right one; an officer reads a dossier's self-score. At 1280 and 375 px."""

from __future__ import annotations

import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from storage import Database, open_database
from tests.assessment.criteria_files import small_files
from tests.web.conftest import ARTIFACTS
from tests.web.support import Seeded, console_server, link_for, seed

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.browser]

PHONE, DESK = {"width": 375, "height": 800}, {"width": 1280, "height": 900}


@dataclass
class Site:
    """A seeded database and the console served on it."""

    db: Database
    seeded: Seeded
    base: str


@pytest_asyncio.fixture(loop_scope="session")
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    """The console on a fresh seeded database."""
    async with open_database(tmp_path / "ocop.db") as db:
        seeded = await seed(db)
        async with console_server(db) as client:
            yield Site(db, seeded, str(client.base_url).rstrip("/"))


async def _signed_in(browser: Any, site: Site, user: str, viewport: dict[str, int]) -> Any:
    token = await link_for(site.db, site.seeded.users[user])
    context = await browser.new_context(viewport=viewport, locale="vi-VN")
    page = await context.new_page()
    await page.goto(f"{site.base}/web/login/{token}")
    await page.click("#sign-in")
    await page.wait_for_url(f"{site.base}/web/")
    return page


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"ocop-criteria-26-2026/{name}", text)
    return path


async def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def test_an_admin_loads_the_criteria_and_an_officer_reads_a_self_score(
    browser: Any, site: Site, tmp_path: Path
) -> None:
    files = small_files()
    broken = {n: t.replace("7,B,2,1,", "7,B,9,1,") for n, t in files.items()}
    page = await _signed_in(browser, site, "admin", DESK)
    await page.click("text=Bộ tiêu chí")
    assert await page.inner_text("h1") == "Bộ tiêu chí OCOP"
    await page.set_input_files("#files", str(_zip(tmp_path / "hong.zip", broken)))
    await page.fill("#version", "26/2026")
    await page.click("#load")
    problems = await page.inner_text("#problems")
    assert "qd26-2026-options.csv:8" in problems and "không có tiêu chí này" in problems
    assert await page.input_value("#version") == "26/2026"
    await _shot(page, "criteria-refused-1280")
    await page.set_input_files("#files", str(_zip(tmp_path / "tieuchi.zip", files)))
    await page.click("#load")
    assert "Đã tải bộ tiêu chí 26/2026" in await page.inner_text("#loaded")
    await page.set_viewport_size(PHONE)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await _shot(page, "criteria-375")
    await page.context.close()

    pid = site.seeded.products["submitted"]
    now = datetime.now(UTC)
    async with site.db.transaction() as store:
        started = await store.assessments.start(pid, "26/2026", 7, now)
        for key, option in {"A:1.1": 3, "A:1.2": 2, "B:2": 3, "C:3": 3, "C:4": 2}.items():
            await store.assessments.answer(started.id, key, option, now)
    page = await _signed_in(browser, site, "vl", PHONE)
    await page.goto(f"{site.base}/web/products/{pid}")
    text = await page.inner_text("#self-assessment")
    assert "90/100 điểm" in text and "Hạng sao có thể đạt: 4 sao" in text
    assert "1.2. Sở hữu trí tuệ (5 sao)" in text
    async with page.expect_download() as download:
        await page.click("text=Tải Báo cáo tự đánh giá")
    saved = await (await download.value).path()
    assert Path(saved).read_bytes()[:2] == b"PK"
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await _shot(page, "dossier-self-score-375")
    await page.context.close()

