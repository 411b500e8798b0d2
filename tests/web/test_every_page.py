"""Every console page in a real browser at 1280 and 375 px: axe-core finds no accessibility
violation (WCAG 2.1 A/AA and best practice), the page does not scroll sideways at 375 px, and
no text is cut or drawn over other text there, and its screenshot goes to docs/screens/ for
the officers' guide."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from playwright.async_api import expect

from storage import Database, open_database
from storage.models import Role
from storage.product_models import ProductStatus
from storage.rounds import NewRound, ProductRow
from storage.trainings import NewTraining
from tests.web.clipped import clipped
from tests.web.support import console_server, link_for, now, seed

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.browser]

SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"
WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 800}}
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PAGES = {  # screenshot name: path (ids filled from the seed)
    "dashboard": "/web/",
    "products": "/web/products",
    "waiting": "/web/products?status=submitted",
    "dossier": "/web/products/{submitted}",
    "communes": "/web/communes",
    "certified": "/web/products/{certified}",
    "results": "/web/results",
    "broadcasts": "/web/broadcasts",
    "broadcast-report": "/web/broadcasts/{broadcast}",
    "rounds": "/web/rounds",
    "trainings": "/web/trainings",
    "attendance": "/web/trainings/{training}",
    "officers": "/web/officers",
    "audit": "/web/audit",
}
# What real data holds and a short sample hides: a long name, a link that cannot wrap at a space
LONG_NAME = "Mật ong hoa nhãn nguyên chất Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp Tân Phú Đông"
LINK = "https://us06web.zoom.us/j/84512345678?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ123456.1"


async def _png(channel: str, file_id: str) -> tuple[bytes, str] | None:
    from tests.web.test_browser import _png as picture

    return picture(640, 420), "image/png"


async def _seed(db: Database) -> dict[str, int]:
    """The browser tests' seed plus a certified product, a round, a training, a broadcast;
    thousands in the figures are not needed here (the wording test has them)."""
    seeded = await seed(db)
    ids = dict(seeded.products)
    day = now() + timedelta(days=10)
    async with db.transaction() as store:
        await store.users.grant(seeded.users["admin"], Role.ADMIN, None, "test", now())
        accepted = await store.products.get(seeded.products["accepted"])
        assert accepted is not None
        ids["certified"] = await store.products.create_draft(accepted.producer_id, now())
        await store.products.set_field(ids["certified"], "name", LONG_NAME, now())
        await store.products.set_field(ids["certified"], "group_code", "food", now())
        await store.products.set_status(ids["certified"], ProductStatus.CERTIFIED, now())
        await store.certifications.record(
            ids["certified"], score=92.5, stars=4, certified=True,
            certificate_number="VL-2026-015", decision_number="15/QĐ-UBND",
            decision_date=date.today() - timedelta(days=30),
            expires_on=date.today() + timedelta(days=1000), recorded_by="test", now=now())
        await store.products.mark_item(ids["submitted"], "reg_form", "file", now(), "telegram",
                                       "photo-1", "image/jpeg")
        await store.products.mark_item(ids["submitted"], "samples", "paper", now())
        ids["round"] = await store.rounds.create(NewRound(
            name="Đợt I năm 2027", province_code="VL", registration_opens_at=now(),
            registration_deadline=day, dossier_deadline=day + timedelta(days=5),
            council_at=day + timedelta(days=10), results_at=day + timedelta(days=20),
            note=f"Nộp hồ sơ giấy tại UBND xã; mẫu phiếu: {LINK}"), "test", now())
        await store.rounds.enter(ids["round"], ProductRow(
            id=accepted.id, producer_id=accepted.producer_id, name=accepted.name or "",
            status="accepted"), now())
        ids["training"] = await store.trainings.create(NewTraining(
            title="Tập huấn bao bì", topic_code="packaging", province_code="VL",
            starts_at=day, ends_at=day + timedelta(hours=3), place=LINK,
            capacity=30, registration_deadline=day - timedelta(days=1)), "test", now())
        await store.trainings.enrol(ids["training"], seeded.users["producer"], now())
        ids["broadcast"] = await store.broadcasts.create(
            officer_id=seeded.users["vl"], actor="telegram:100", province_code="VL",
            audience=[], text=f"Hội chợ OCOP Vĩnh Long khai mạc ngày 20/12: {LINK}", urgent=False,
            not_before=now(), progress_locale="vi", now=now())
        await store.audit.record("telegram:100", "product_accepted", now(),
                                 subject="product:1", details={"note": "Đủ giấy tờ"})
        ids["admin"] = seeded.users["admin"]
        commune = await store.users.seen("telegram", "700", "700", now())  # Xã Tân Phú's
        await store.users.grant(commune.id, Role.COMMUNE_OFFICER, "VL", "test", now())
        await store.communes.set_commune(commune.id, "Xã Tân Phú", "tan phu")
        await store.communes.open_review(ids["submitted"], "VL", "Xã Tân Phú", "tan phu", now(),
                                         date.today() + timedelta(days=21))
        sent = now() - timedelta(days=60)  # a dossier the commune forwarded, since certified
        forwarded = await store.communes.open_review(ids["certified"], "VL", "Xã Tân Phú",
                                                     "tan phu", sent, sent.date())
        await store.communes.decide(forwarded, "forwarded", "telegram:700",
                                    sent + timedelta(days=9))
        ids["commune_officer"] = commune.id
    return ids


@pytest_asyncio.fixture(loop_scope="session")
async def console(tmp_path: Path) -> AsyncIterator[tuple[Database, str, dict[str, int]]]:
    """The console on a seeded database; the admin sees every page."""
    async with open_database(tmp_path / "ocop.db") as db:
        ids = await _seed(db)
        async with console_server(db, fetch_photo=_png) as client:
            yield db, str(client.base_url).rstrip("/"), ids


async def _signed_in(browser: Any, db: Database, base: str, admin: int, width: str) -> Any:
    context = await browser.new_context(viewport=WIDTHS[width], locale="en-US")
    page = await context.new_page()
    await page.goto(f"{base}/web/login/{await link_for(db, admin)}")
    await page.click("#sign-in")
    await page.wait_for_url(f"{base}/web/")
    return page


async def _violations(page: Any) -> list[str]:
    """axe-core's violations on the page, one line each (rule, impact, first element)."""
    from axe_playwright_python.async_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    found = (await Axe().run(page, options=options)).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            f"{json.dumps([n['target'] for n in v['nodes']][:3])}" for v in found]


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_every_page_is_accessible_fits_and_is_pictured(
    browser: Any, console: tuple[Database, str, dict[str, int]], width: str
) -> None:
    db, base, ids = console
    page = await _signed_in(browser, db, base, ids["admin"], width)
    SCREENS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    for name, path in PAGES.items():
        await page.goto(base + path.format(**ids))
        await page.wait_for_load_state("networkidle")
        found = await _violations(page)
        if width == "375":
            wide = await page.evaluate("document.documentElement.scrollWidth")
            if wide > WIDTHS[width]["width"]:
                found.append(f"scrolls sideways: {wide} px wide")
            found += await clipped(page)  # nothing cut or drawn over other text either
        if found:
            problems[name] = found
        await page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    await page.context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_a_commune_officer_s_pages_are_accessible_and_fit(
    browser: Any, console: tuple[Database, str, dict[str, int]], width: str
) -> None:
    db, base, ids = console
    context = await browser.new_context(viewport=WIDTHS[width], locale="en-US")
    page = await context.new_page()
    await page.goto(f"{base}/web/login/{await link_for(db, ids['commune_officer'])}")
    await page.click("#sign-in")
    await expect(page).to_have_url(f"{base}/web/communes")  # their first page
    problems: dict[str, list[str]] = {}
    for name, path in (("commune-dossiers", "/web/communes"),
                       ("commune-check", "/web/products/{submitted}"),
                       ("commune-refused", "/web/results")):
        await page.goto(base + path.format(**ids))
        found = await _violations(page)
        if width == "375" and await page.evaluate(
                "document.documentElement.scrollWidth") > WIDTHS[width]["width"]:
            found.append("scrolls sideways")
        if width == "375":
            found += await clipped(page)
        if found:
            problems[name] = found
        if name != "commune-refused":  # the guide pictures the commune officer's own pages
            await page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    await page.goto(f"{base}/web/products/{ids['submitted']}")
    await page.select_option("#mau03-raw_materials", "yes")
    await page.click("#commune-forward")
    await expect(page.locator("#outcome")).to_contain_text("chọn đủ 4 mục")
    await context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


async def test_the_skip_link_and_focus_come_first(
    browser: Any, console: tuple[Database, str, dict[str, int]]
) -> None:
    db, base, ids = console
    page = await _signed_in(browser, db, base, ids["admin"], "1280")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.className") == "skip"
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the console's own visible focus style
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "main"
    await page.goto(f"{base}/web/broadcasts")
    live = await page.get_attribute("#reach-accounts >> xpath=..", "aria-live")
    assert live == "polite"
    await page.fill("#when", "ngày nào đó")
    await expect(page.locator("#when-understood")).to_contain_text("Chưa đọc được")
    await page.fill("#text", "")
    await page.click("#preview")
    assert await page.evaluate("document.activeElement.id") == "text"  # focus on the field
    assert await page.get_attribute("#problem", "role") == "alert"
    await page.context.close()


async def test_the_sign_in_page_is_accessible_too(
    browser: Any, console: tuple[Database, str, dict[str, int]]
) -> None:
    db, base, ids = console
    for width in WIDTHS:
        context = await browser.new_context(viewport=WIDTHS[width])
        page = await context.new_page()
        await page.goto(f"{base}/web/")  # not signed in: how to sign in
        assert not await _violations(page)
        await page.goto(f"{base}/web/login/{await link_for(db, ids['admin'])}")
        assert not await _violations(page)
        await page.screenshot(path=str(SCREENS / f"sign-in-{width}.png"), full_page=True)
        await context.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_the_pages_after_a_form_are_accessible_and_fit(
    browser: Any, console: tuple[Database, str, dict[str, int]], width: str
) -> None:
    db, base, ids = console
    page = await _signed_in(browser, db, base, ids["admin"], width)
    problems: dict[str, list[str]] = {}
    await page.goto(f"{base}/web/broadcasts")
    await page.fill("#text", "Hội chợ OCOP Vĩnh Long khai mạc ngày 20/12.")
    await page.fill("#when", "08:30 20/12/2030")
    await page.click("#preview")
    await page.wait_for_selector("#shown")
    problems["broadcast-preview"] = await _violations(page)
    if width == "375":
        problems["broadcast-preview"] += await clipped(page)
    await page.screenshot(path=str(SCREENS / f"broadcast-preview-{width}.png"), full_page=True)
    await page.goto(f"{base}/web/results")
    await page.fill("input[name=r0_product_id]", str(ids["accepted"]))
    await page.fill("input[name=r0_score]", "86")
    await page.click("#check-table")
    await page.wait_for_load_state("networkidle")
    problems["results-checked"] = await _violations(page)
    wide = await page.evaluate("document.documentElement.scrollWidth")
    if wide > WIDTHS[width]["width"]:
        problems["results-checked"].append(f"scrolls sideways: {wide} px wide")
    if width == "375":
        problems["results-checked"] += await clipped(page)
    await page.screenshot(path=str(SCREENS / f"results-checked-{width}.png"), full_page=True)
    await page.context.close()
    assert not {name: found for name, found in problems.items() if found}


# The smallest font size of the text in an element, and whether any of it is cut off.
SMALLEST_TEXT = """(root) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let smallest = 1000, clipped = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const shown = node.parentElement;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(shown).fontSize));
    clipped = clipped || shown.scrollWidth > shown.clientWidth + 1;
  }
  return {smallest, clipped};
}"""


async def test_the_chart_reads_on_a_phone_as_text(
    browser: Any, console: tuple[Database, str, dict[str, int]]
) -> None:
    db, base, ids = console
    page = await _signed_in(browser, db, base, ids["admin"], "375")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    await page.goto(f"{base}/web/")
    await page.wait_for_load_state("networkidle")
    bars = page.locator("#chart-list")
    await expect(bars).to_be_visible()
    await expect(page.locator(".chart-picture img")).to_be_hidden()
    assert not [url for url in asked if "chart.png" in url]  # a phone does not fetch the PNG
    await expect(bars).to_contain_text(f"{now().year}: 1 sản phẩm mới được công nhận")
    await expect(bars).to_contain_text("Thực phẩm: 1 sản phẩm")
    text = await bars.evaluate(SMALLEST_TEXT)
    assert text["smallest"] >= 12 and not text["clipped"], text
    await page.set_viewport_size(WIDTHS["1280"])
    await expect(page.locator(".chart-picture img")).to_be_visible()
    await page.context.close()


async def test_a_wrong_training_change_is_shown_on_its_field(
    browser: Any, console: tuple[Database, str, dict[str, int]]
) -> None:
    db, base, ids = console
    page = await _signed_in(browser, db, base, ids["admin"], "375")
    await page.goto(f"{base}/web/trainings")
    form = f"t{ids['training']}"
    await page.click(f"details:has(#{form}-title) summary")
    await page.fill(f"#{form}-title", "Tập huấn bao bì và nhãn mác")
    early = (now() + timedelta(days=2)).astimezone(ZONE)
    await page.fill(f"#{form}-ends_at", early.strftime("08:00 %d/%m/%Y"))  # before the start
    await page.click(f"#{form}-change")
    await page.wait_for_load_state("networkidle")
    field = page.locator(f"#{form}-ends_at")
    assert await field.get_attribute("aria-invalid") == "true"
    said = page.locator(f"#{form}-ends_at-problem")
    assert await said.get_attribute("role") == "alert"
    await expect(said).to_have_text("Giờ kết thúc phải sau giờ bắt đầu.")
    assert f"{form}-ends_at-problem" in (await field.get_attribute("aria-describedby") or "")
    assert await page.evaluate("document.activeElement.id") == f"{form}-ends_at"
    await expect(page.locator(f"#{form}-title")).to_have_value("Tập huấn bao bì và nhãn mác")
    assert not await _violations(page)
    await page.locator("details[open]").screenshot(path=str(SCREENS / "training-problem-375.png"))
    await page.context.close()
