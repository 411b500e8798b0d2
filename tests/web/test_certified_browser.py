"""The certified list in a real browser: upload a published annex, map its stars column,
preview, confirm; screenshots at 1280 and 375 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.claims.published import ANNEX_HEADER, annex_book
from tests.web.test_browser import DESK, PHONE, Desk, _fits, _shot, _signed_in, desk
from tests.web.test_certified_console import vinh_long_rows

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.browser]
__all__ = ["desk"]


async def test_upload_map_preview_and_confirm_a_published_list(
    browser: Any, desk: Desk, tmp_path: Path
) -> None:
    header = [*ANNEX_HEADER]
    header[6] = "Kết quả xếp loại"
    path = annex_book(tmp_path / "phu-luc.xlsx", vinh_long_rows(), header=header)
    page = await _signed_in(browser, desk, DESK)
    await page.click("text=Danh sách OCOP")
    await page.set_input_files("#file", str(path))
    await page.click("#upload")
    assert "Số sao" in await page.inner_text("#missing")
    await page.select_option("select[name=c_G]", "stars")
    await _shot(page, "certified-mapping-1280")
    await page.click("#check")
    assert "8 mới, 0 đã có" in await page.inner_text("#summary")
    await page.set_viewport_size(PHONE)
    await _fits(page, PHONE["width"])
    await _shot(page, "certified-preview-375")
    await page.click("#confirm")
    assert "Đã ghi 8 sản phẩm" in await page.inner_text("#done")
    async with desk.db.reading() as store:
        assert len(await store.existing.unclaimed("VL")) >= 5
    await page.context.close()
