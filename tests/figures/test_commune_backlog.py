"""Dossiers late at their commune, per commune: a short section of `/thongke` and a sheet of
the report (commune, dossiers at it, late ones, the oldest's dates as dd/mm/yyyy)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from handlers.figures.report import report_file
from messages import Renderer
from storage import Database, Store
from storage.product_models import ProductStatus
from tests.chat import ChatFor
from tests.figures.fixture import NOW, TODAY, fill
from tests.rounds.support import officer

LATE = NOW - timedelta(days=30)  # 01/11/2026: far past 15 working days by 01/12/2026


async def _at_communes(store: Store) -> None:
    """Product 4 (An Lão) at its commune for a month; a new dossier at Tứ Kỳ since yesterday."""
    await store.communes.open_review(4, "HP", "An Lão", "an lao", LATE, date(2026, 11, 23))
    producer = await store.users.create_producer(
        {"name": "Tổ hợp tác Tứ Kỳ", "entity_type": "household", "contact_person": "Vũ Thị Hoa",
         "phone": "+84901234568", "province_code": "HP", "commune": "Tứ Kỳ"}, NOW)
    pid = await store.products.create_draft(producer, NOW)
    await store.products.set_status(pid, ProductStatus.SUBMITTED, NOW)
    await store.communes.open_review(pid, "HP", "Tứ Kỳ", "tu ky", NOW - timedelta(days=1),
                                     date(2026, 12, 21))


async def test_the_figures_screen_lists_the_communes_with_late_dossiers(
    db: Database, chat_for: ChatFor
) -> None:
    async with db.transaction() as store:
        await fill(store)
        await _at_communes(store)
    off = await officer(db, chat_for, province="HP")
    await off.say("/thongke")
    assert "Hồ sơ trễ hạn ở xã\n• An Lão: 1 trễ hạn / 1 hồ sơ đang ở xã" in off.text
    assert "Tứ Kỳ: " not in off.text  # at its commune, not late


async def test_without_late_dossiers_the_section_is_not_there(
    db: Database, chat_for: ChatFor
) -> None:
    async with db.transaction() as store:
        await fill(store)
    off = await officer(db, chat_for, province="HP")
    await off.say("/thongke")
    assert "Sản phẩm OCOP còn hiệu lực" in off.text and "trễ hạn ở xã" not in off.text


async def test_the_report_has_a_sheet_of_dossiers_at_the_communes(
    db: Database, renderer: Renderer
) -> None:
    async with db.transaction() as store:
        await fill(store)
        empty = await report_file(store, renderer, "vi", "HP", 2026, TODAY)
        await _at_communes(store)
        document = await report_file(store, renderer, "vi", "HP", 2026, TODAY)
    rows = list(load_workbook(io.BytesIO(document.content))["Hồ sơ ở xã"].iter_rows())
    assert [c.value for c in rows[0]] == ["Xã, phường", "Hồ sơ đang ở xã", "Trễ hạn",
                                          "Hồ sơ đến xã sớm nhất", "Hạn kiểm tra của hồ sơ đó"]
    values = [[c.value for c in row] for row in rows[1:]]
    assert [v[:3] for v in values] == [["An Lão", 1, 1], ["Tứ Kỳ", 1, 0]]
    assert values[0][3].date() == date(2026, 11, 1) and values[0][4].date() == date(2026, 11, 23)
    assert rows[1][3].number_format == rows[1][4].number_format == "dd/mm/yyyy"
    none = list(load_workbook(io.BytesIO(empty.content))["Hồ sơ ở xã"].iter_rows(values_only=True))
    assert none[1][0] == "Không có hồ sơ nào đang ở xã."
