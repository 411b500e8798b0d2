"""The transition (Điều 12 of 26/2026/QĐ-TTg): a dossier sent before 22/05/2026 is marked as
rated under the old rules in chat and in the products spreadsheet; a certificate issued before
stays valid until its own expiry (a later correction of the validity rule does not shorten
it), counts in force until then, and its re-rating notice comes no earlier than the rules say."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from handlers.engine.config import HandlerConfig
from handlers.engine.feature import ReminderContext
from handlers.rating.reminders import certificate_rerating
from messages import Renderer
from storage import Database
from tests.chat import ChatFor, Clock
from tests.claims.test_import_certified import run
from tests.products.steps import make_officer
from tests.rating.support import certify, sent_dossier

SENT_BEFORE = datetime(2024, 3, 1, 3, 0, tzinfo=UTC)
DECIDED = date(2024, 9, 1)  # under the old rules: expires 01/09/2027 (36 months)
SENT_AFTER = datetime(2026, 6, 10, 3, 0, tzinfo=UTC)
TODAY = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


async def _two_dossiers(db: Database, chat_for: ChatFor) -> tuple[int, int]:
    """One dossier sent and certified under the old rules, one sent after the decision."""
    lan = chat_for("91")
    await lan.onboard()
    async with db.transaction() as store:
        user = await store.users.find("telegram", "91")
        assert user is not None and user.producer_id is not None
        old = await sent_dossier(store, user.producer_id, "Mắm cũ", SENT_BEFORE)
        new = await sent_dossier(store, user.producer_id, "Mắm mới", SENT_AFTER)
    await certify(db, old, SENT_BEFORE + timedelta(days=180), "OCOP-24", decided=DECIDED)
    return old, new


async def _notices(db: Database, renderer: Renderer, day: date) -> int:
    now = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
    async with db.transaction() as store:
        return await certificate_rerating(
            ReminderContext(store=store, renderer=renderer, now=now, config=HandlerConfig()))


async def test_a_certificate_of_the_old_rules_stays_valid_until_its_own_expiry(
    db: Database, renderer: Renderer, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    old, _ = await _two_dossiers(db, chat_for)
    async with db.transaction() as store:  # a later correction does not shorten it
        await store.rules.correct("cert_validity_months", "24", "cli", TODAY)
    clock.now = TODAY
    lan = chat_for("91")
    await lan.say("/sanpham")
    await lan.say("Mắm cũ")
    assert "theo quy định cũ (Quyết định 148/QĐ-TTg" in lan.text
    assert "hiệu lực đến 01/09/2027" in lan.text and "hết hạn" not in lan.text.lower()
    async with db.reading() as store:
        certificate = await store.certifications.latest_for(old)
        summary = await store.figures.province_summary("VL", 2026, TODAY.date())
    assert certificate is not None and certificate.expires_on == date(2027, 9, 1)
    assert (summary.in_force.total, summary.expired) == (1, 0)
    opens = date(2027, 9, 1) - timedelta(days=180)  # 04/03/2027
    assert await _notices(db, renderer, TODAY.date()) == 0
    assert await _notices(db, renderer, opens - timedelta(days=1)) == 0
    assert await _notices(db, renderer, opens) == 1


async def test_the_products_spreadsheet_says_which_rules_each_dossier_follows(
    db: Database, chat_for: ChatFor, tmp_path: Path
) -> None:
    await _two_dossiers(db, chat_for)
    out = tmp_path / "products.xlsx"
    result = await asyncio.to_thread(run, tmp_path / "ocop.db", "export", "products", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    column = {name: index for index, name in enumerate(rows[0])}
    by_name = {row[column["Tên sản phẩm"]]: row for row in rows[1:]}
    old, new = by_name["Mắm cũ"], by_name["Mắm mới"]
    assert old[column["Quy định áp dụng"]].startswith("Quy định cũ (Quyết định 148/QĐ-TTg")
    valid = "Còn hiệu lực" if date.today() <= date(2027, 9, 1) else "Hết hạn ngày 01/09/2027"
    assert old[column["Tình trạng giấy chứng nhận"]] == valid  # the export reads today's date
    assert new[column["Quy định áp dụng"]] == "Quyết định 26/2026/QĐ-TTg"


async def test_the_officer_reviewing_an_old_dossier_is_told_its_rules(
    db: Database, chat_for: ChatFor
) -> None:
    _, new = await _two_dossiers(db, chat_for)
    async with db.transaction() as store:  # sent before the decision, still waiting
        product = await store.products.get(new)
        assert product is not None
        waiting = await sent_dossier(store, product.producer_id, "Mắm chờ", SENT_BEFORE)
    tinh = chat_for("92")
    await make_officer(db, tinh, "VL")
    await tinh.say("/tiepnhan")
    await tinh.press(f"r:{waiting}")
    assert "được đánh giá theo quy định cũ (Quyết định 148/QĐ-TTg" in tinh.text
    await tinh.press("ra:back")
    await tinh.press(f"r:{new}")
    assert "Mắm mới" in tinh.text and "quy định cũ" not in tinh.text
