"""Claiming imported products in chat: by contact share, by code, by an officer's approval."""

from __future__ import annotations

from pathlib import Path

from handlers.claims.importing import COLUMNS, Row, apply_plan, plan_import
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import InputKind
from handlers.engine.feature import ReminderContext
from handlers.rating.reminders import certificate_rerating
from messages import Renderer
from storage import Database
from tests.chat import Chat, ChatFor, Clock
from tests.claims.rows import real_rows
from tests.rounds.support import officer, outbox


async def load_list(db: Database, renderer: Renderer, config: HandlerConfig, clock: Clock) -> None:
    """Import the real-shaped rows as `ocop-bot import certified --yes` does."""
    rows = [Row(number=i + 2, cells=dict(zip(COLUMNS[:len(values) - 1], values[1:], strict=True)))
            for i, values in enumerate(real_rows())]
    async with db.transaction() as store:
        plan = await plan_import(store, renderer, config, rows, clock())
        assert plan.ok, plan.refused
        await apply_plan(store, plan, "test", clock())


async def reminders(db: Database, renderer: Renderer, config: HandlerConfig, clock: Clock) -> int:
    """Run the certificate expiry rule once, as the scheduler does each minute."""
    async with db.transaction() as store:
        ctx = ReminderContext(store=store, renderer=renderer, now=clock(), config=config)
        return await certificate_rerating(ctx)


async def producer_of(db: Database, name: str) -> int:
    """The id of the imported producer with this name."""
    async with db.reading() as store:
        found = [c for c in await store.existing.unclaimed() if c.name == name]
    assert len(found) == 1, found
    return found[0].producer_id


async def test_contact_share_claims_on_telegram_and_reminders_start(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await load_list(db, renderer, config, clock)
    assert await reminders(db, renderer, config, clock) == 0  # nobody to remind yet
    lan = Chat(dispatcher, renderer, clock, channel="telegram", user="101")
    await lan.onboard()  # types 0912 345 678, the phone of HTX Cờ Ðỏ in the list
    assert "claims/found_by_phone" in lan.templates
    cooperative = await producer_of(db, "HTX Nông nghiệp Cờ Ðỏ")
    await lan.press(f"p:{cooperative}")
    assert lan.last.replies[0].ask_contact == "claims.share_button"
    await lan.send(InputKind.CONTACT, contact_phone=None)  # someone else's contact
    assert "claims/contact_mismatch" in lan.templates
    await lan.send(InputKind.CONTACT, contact_phone="+84912345678")
    assert "claims/claimed" in lan.templates and "Đã thêm 2 sản phẩm" in lan.text
    await lan.say("/sanpham")
    assert "Bánh tét lá cẩm – Trà Cuôn" in lan.text and "Mắm tép" in lan.text
    assert await reminders(db, renderer, config, clock) == 1  # the one expiring in 60 days
    [reminder] = outbox(tmp_path / "ocop.db", "cert:")  # and no congratulation
    assert reminder["dedupe_key"].endswith(":rerating:last")  # its window closed: still late


async def test_code_from_an_officer_claims_on_zalo(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig,
) -> None:
    await load_list(db, renderer, config, clock)
    ba = Chat(dispatcher, renderer, clock, channel="zalo", user="z1")
    await ba.onboard(name="Công ty An Phú")  # the same phone as HTX Cờ Ðỏ: offered first
    assert "claims/found_by_phone" in ba.templates
    await ba.press("k:back")
    await ba.say("nhận sản phẩm")
    await ba.say("an phu")
    assert len([k for k in ba.keys if k.startswith("p:")]) == 2  # both spellings shown
    target = await producer_of(db, "Công ty TNHH An Phú")
    await ba.press(f"p:{target}")
    assert all(r.ask_contact is None for r in ba.last.replies)  # no contact button on Zalo
    await ba.press("v:code")
    await ba.say("1234 5678 9012")
    assert "claims/wrong_code" in ba.templates and "còn 4 lần thử" in ba.text
    off = await officer(db, chat_for, province="VL")
    await off.say("/xacnhannhan")
    await off.press("c:code")
    await off.say(str(target))
    assert "claims/code_drawn" in off.templates
    code = off.last.replies[0].context["code"]
    await ba.say(code)
    assert "claims/claimed" in ba.templates
    await ba.say("/sanpham")
    assert "Kẹo dừa sầu riêng" in ba.text and "Kẹo dừa sáp" not in ba.text


async def test_an_officer_approves_a_claim_and_the_asker_is_told(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await load_list(db, renderer, config, clock)
    off = await officer(db, chat_for, province="CT")
    other = await officer(db, chat_for, user="off2", province="VL")
    hai = Chat(dispatcher, renderer, clock, channel="telegram", user="202")
    await hai.onboard(name="Hai Lúa", province="can tho")
    await hai.say("/toi")
    await hai.press("f:claim")
    await hai.say("trà mãng cầu")
    target = await producer_of(db, "Cơ sở Hai Lúa")
    await hai.press(f"p:{target}")
    await hai.press("v:officer")
    assert "claims/requested" in hai.templates
    assert len(outbox(tmp_path / "ocop.db", "claim:")) == 1  # the Cần Thơ officer only
    await other.say("/xacnhannhan")
    assert not [k for k in other.keys if k.startswith("r:")]  # not their province
    await off.say("/xacnhannhan")
    [request] = [k for k in off.keys if k.startswith("r:")]
    await off.press(request)
    await off.press("d:yes")
    assert "claims/decision_saved" in off.templates
    told = outbox(tmp_path / "ocop.db", "claim:")[-1]
    assert "Cán bộ đã xác nhận: 1 sản phẩm" in told["payload"]["text"]
    await hai.say("/sanpham")
    assert "Trà mãng cầu" in hai.text
