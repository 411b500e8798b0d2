"""The phone check finds what a reader would miss (text cut inside a button or a card, text
past the screen's edge, text drawn over other text) and lets a wide table that scrolls, text
that wraps, and a closed section pass."""

from __future__ import annotations

from typing import Any

import pytest

from storage import Database
from tests.web.clipped import clipped
from tests.web.test_every_page import WIDTHS, _signed_in, console  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.browser]

PAGE = """<!doctype html><html lang="vi"><body style="margin:0;font:15px sans-serif">
<main style="padding:8px">
<button id="cut" style="width:90px;white-space:nowrap;overflow:hidden">
Thu hồi quyền của Nguyễn Thị Lan</button>
<p id="past">https://us06web.zoom.us/j/84512345678?pwd=TOKEN</p>
<div id="edge" style="width:420px">Bảng tổng hợp theo tỉnh</div>
<div style="position:relative;height:40px"><span id="under">Hạn chót 20/12/2026</span>
<span id="over" style="position:absolute;left:0;top:0">Đã tiếp nhận</span></div>
<div style="overflow-x:auto"><table><tr><td style="white-space:nowrap">
Một bảng rộng cuộn được, với rất nhiều cột: tên, chủ thể, số điện thoại, xã/phường
</td></tr></table></div>
<p id="wraps">Một câu dài được xuống dòng đúng chỗ, không bị cắt, không đè lên chữ khác.</p>
<label for="f">Hẹn giờ gửi</label><input id="f" value="08:30 15/12/2026">
<span>Để trống: gửi ngay. Gõ như 08:30 15/12/2026, “mai 8h” hoặc “20/12”.</span>
<details><summary>Sửa lớp</summary><p style="position:absolute;top:0">Ẩn khi đóng</p></details>
</main></body></html>""".replace("TOKEN", "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789" * 2)


async def test_the_phone_check_finds_cut_and_overlapping_text_only(browser: Any) -> None:
    context = await browser.new_context(viewport={"width": 375, "height": 800})
    page = await context.new_page()
    await page.set_content(PAGE)
    found = await clipped(page)
    await context.close()
    assert any(line.startswith("button#cut cut") for line in found), found
    assert any(line.startswith("p#past cut") for line in found), found
    assert any(line.startswith("div#edge past the screen's edge") for line in found), found
    assert any("span#over" in line and "span#under" in line for line in found), found
    assert len(found) == 4, found  # nothing else: the table scrolls, the rest wraps or hides


OTHER_PAGES = ("/web/certified", "/web/invitations", "/web/criteria",
               "/web/products?status=certified", "/web/products?expiring=90",
               "/web/products?claimed=no")  # those the screenshots leave out


async def test_the_pages_without_a_screenshot_fit_a_phone_too(
    browser: Any, console: tuple[Database, str, dict[str, int]]  # noqa: F811
) -> None:
    db, base, ids = console
    page = await _signed_in(browser, db, base, ids["admin"], "375")
    problems = {}
    for path in OTHER_PAGES:
        answer = await page.goto(base + path)
        assert answer is not None and answer.ok and page.url == base + path, path
        found = await clipped(page)
        if await page.evaluate("document.documentElement.scrollWidth") > WIDTHS["375"]["width"]:
            found.append("scrolls sideways")
        if found:
            problems[path] = found
    await page.context.close()
    assert not problems
