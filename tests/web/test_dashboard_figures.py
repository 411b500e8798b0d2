"""The console's dashboard shows the figures /thongke shows: the same queries, the same chart."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.web.context import utc_now
from storage import Database
from storage.figure_models import PIPELINE_STATUSES, Scope
from storage.models import Role
from tests.figures.fixture import NOW, fill
from tests.web.support import CONFIG, console_server, sign_in

YEAR = 2026
TILES = ("in-force", "new", "waiting", "expiring")


@pytest.fixture
async def people(db: Database) -> dict[str, int]:
    """The hand-counted province, a Hải Phòng officer, an admin, a 2026 target of 5."""
    async with db.transaction() as store:
        await fill(store)
        officer = await store.users.seen("telegram", "700", "700", NOW)
        await store.users.grant(officer.id, Role.OFFICER, "HP", "test", NOW)
        admin = await store.users.seen("telegram", "999", "999", NOW)
        await store.targets.set("HP", YEAR, 5, by="test", now=NOW)
    return {"officer": officer.id, "admin": admin.id}


@pytest.fixture
async def client(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """The console, served."""
    async with console_server(db) as http:
        yield http


def _numbers(page: str, block: str) -> list[int]:
    """The bold figures of the element with this id (a tile, or a grid up to the next
    heading), in page order."""
    found = re.search(rf'id="{block}".*?</(a|div)>' if block in TILES else
                      rf'id="{block}".*?<h2>', page, re.S)
    assert found, f"no #{block} on the page"
    return [int(n) for n in re.findall(r"<b>(\d+)</b>", found.group(0))]


async def test_the_dashboard_shows_the_figures_of_the_province(
    client: httpx.AsyncClient, db: Database, people: dict[str, int]
) -> None:
    await sign_in(client, db, people["officer"])
    page = (await client.get("/web/", params={"year": YEAR})).text
    today = utc_now().astimezone(CONFIG.zone).date()
    async with db.reading() as store:
        s = await store.figures.province_summary("HP", YEAR, today)
    assert s.new_this_year.total == 2 and s.target == 5 and s.gap == 3  # counted by hand
    assert _numbers(page, "in-force") == [s.in_force.total]
    assert _numbers(page, "new") == [s.new_this_year.total]
    assert _numbers(page, "waiting") == [s.pipeline["submitted"]]
    assert _numbers(page, "expiring") == [s.expiring]
    assert _numbers(page, "stars") == [s.in_force.three, s.in_force.four, s.in_force.five]
    assert _numbers(page, "producers") == [s.producers, s.claimed, s.unclaimed, s.active_30d]
    assert _numbers(page, "events") == [s.open_rounds, s.round_entries, s.trainings, s.enrolled]
    pipeline = re.search(r'id="pipeline".*?</div>\n</div>', page, re.S)
    assert pipeline
    shown = [int(n) for n in re.findall(r"</progress><span>(\d+)</span>", pipeline.group(0))]
    assert shown == [s.pipeline[status] for status in PIPELINE_STATUSES]
    assert "Đã công nhận 2 / chỉ tiêu 5 sản phẩm" in page
    assert 'max="5" value="2"' in page and ">40%</progress>" in page
    assert "Còn thiếu 3 sản phẩm so với chỉ tiêu." in page
    assert 'id="provinces"' not in page  # an officer sees their province only
    heading = "Năm 2026 có 2 sản phẩm mới được công nhận, nhiều hơn năm 2025 (1)"
    assert f'<h2 id="chart-title">{heading}</h2>' in page  # the chart's point, in its heading
    before = (await client.get("/web/", params={"year": 2025})).text
    assert "Năm 2025 có 1 sản phẩm mới được công nhận, bằng năm 2024</h2>" in before
    chart = await client.get("/web/chart.png", params={"year": YEAR})
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG")
    again = await client.get("/web/chart.png", params={"year": YEAR})
    assert again.content == chart.content  # drawn once, served from the cache


async def test_an_admin_sees_the_country_by_province(
    client: httpx.AsyncClient, db: Database, people: dict[str, int]
) -> None:
    await sign_in(client, db, people["admin"])
    page = (await client.get("/web/", params={"year": YEAR})).text
    today = utc_now().astimezone(CONFIG.zone).date()
    async with db.reading() as store:
        country = await store.figures.province_summary(None, YEAR, today)
        rows = await store.figures.breakdown(Scope(), YEAR, today, "province")
    assert "Tổng quan: cả nước" in page
    assert _numbers(page, "in-force") == [country.in_force.total]
    assert _numbers(page, "new") == [country.new_this_year.total] == [3]
    table = re.search(r'id="provinces".*?</table>', page, re.S)
    assert table
    lines = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td>", table.group(0))
    assert [int(n) for _, n in lines] == [row.in_force.total for row in rows]
    assert {name for name, _ in lines} == {"Hải Phòng", "Hà Nội"}
