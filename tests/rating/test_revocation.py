"""`/thuhoi`: an officer records a revocation in chat (ground, number, date); the producer is
told, the product leaves the figures in force and the re-rating notices, the audit log has it."""

from __future__ import annotations

from datetime import date

from storage import Database
from storage.figure_models import Scope
from tests.chat import ChatFor, Clock
from tests.products.steps import outbox, register
from tests.rating.support import certify
from tests.rounds import support


async def _certified(db: Database, chat_for: ChatFor, clock: Clock) -> int:
    lan = chat_for("301")
    await lan.onboard()
    pid = await register(lan, "Kẹo dừa sáp")
    await certify(db, pid, clock(), "VL-12")
    return pid


async def _in_force(db: Database) -> int:
    async with db.reading() as store:
        summary = await store.figures.summary(Scope(province="VL"), 2026, date(2026, 12, 1))
    return summary.in_force.total


async def test_an_officer_revokes_in_chat_and_the_producer_is_told(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    pid = await _certified(db, chat_for, clock)
    assert await _in_force(db) == 1
    other = await support.officer(db, chat_for, user="ct1", province="CT")
    await other.say("/thuhoi")
    await other.say("VL-12")
    assert "revocation/not_found" in other.templates  # another province's certificate

    off = await support.officer(db, chat_for)
    await off.say("/thuhoi")
    assert "revocation/ask_product" in off.templates
    await off.say("VL-99")
    assert "Không tìm thấy giấy chứng nhận" in off.text
    await off.say("vl-12")  # typed in lower case
    assert "revocation/ask_ground" in off.templates and "Kẹo dừa sáp" in off.text
    assert len([k for k in off.keys if k.startswith("t:")]) == 7  # 6 grounds and cancel
    await off.press("t:quality")
    await off.say("45/QĐ-UBND")
    await off.say("01/03/2026")
    assert "revocation/before_decision" in off.templates  # before the certification
    await off.say("20/12/2026")
    assert "results/future_date" in off.templates
    await off.say("25/11/2026")
    assert "revocation/confirm" in off.templates and "an toàn thực phẩm" in off.text
    await off.press("t:ok")
    assert "revocation/done" in off.templates

    assert await _in_force(db) == 0
    [notice] = [r for r in await outbox(db) if r["dedupe_key"].startswith("revoked:")]
    text = notice["payload"]["text"]
    assert "đã bị thu hồi" in text and "45/QĐ-UBND" in text and "25/11/2026" in text
    async with db.reading() as store:
        [entry] = [e for e in await store.audit.entries() if e.action == "certificate_revoked"]
        events = [e.kind for e in await store.products.events(pid)]
    assert entry.subject == f"product:{pid}" and entry.details["ground"] == "quality"
    assert events[-1] == "revoked"

    lan = chat_for("301")
    await lan.say("/sanpham")
    await lan.say("Kẹo dừa sáp")
    assert "Đã bị thu hồi" in lan.text and "v:rerate" not in lan.keys

    await off.say("/thuhoi")
    await off.say("VL-12")
    assert "revocation/not_found" in off.templates  # revoked once only
