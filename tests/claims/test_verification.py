"""Nothing is linked before it is verified; a verified claim merges the imported producer."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from handlers.claims.offers import offer_matches
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import InputKind
from handlers.engine.feature import ReminderContext
from messages import Renderer
from storage import Database
from storage.figure_models import Scope
from tests.chat import Chat, Clock
from tests.claims.test_claim_flow import load_list, producer_of, reminders
from tests.rounds.support import outbox


def _producers(db_path: Path, province: str) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT name, phone FROM producers WHERE province_code = ?"
                            " ORDER BY id", (province,)).fetchall()


async def _summary(db: Database, province: str) -> tuple[int, int]:
    async with db.reading() as store:
        found = await store.figures.summary(Scope(province=province), 2026, date(2026, 12, 1))
    return found.producers, found.claimed


async def test_a_phone_or_name_match_links_nothing_and_only_offers(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    squatter = Chat(dispatcher, renderer, clock, channel="zalo", user="z-early")
    await squatter.onboard(name="Cơ sở Hai Lúa", province="can tho")  # the list's phone of Cờ Ðỏ
    await load_list(db, renderer, config, clock)  # imported after: same phone, same name
    await squatter.say("/sanpham")
    assert "Trà mãng cầu" not in squatter.text and "Mắm tép" not in squatter.text
    async with db.reading() as store:
        unclaimed = {c.name for c in await store.existing.unclaimed()}
    assert {"HTX Nông nghiệp Cờ Ðỏ", "Cơ sở Hai Lúa"} <= unclaimed  # still the province's
    await squatter.say("/nhansanpham")
    await squatter.say("0912345678")  # a phone match offers the producer, it does not link it
    target = await producer_of(db, "HTX Nông nghiệp Cờ Ðỏ")
    await squatter.press(f"p:{target}")
    assert "claims/verify" in squatter.templates
    await squatter.say("/sanpham")
    assert "Mắm tép" not in squatter.text
    async with db.reading() as store:
        assert await store.existing.candidate(target) is not None


async def test_a_contact_share_merges_the_imported_producer_into_the_account(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await load_list(db, renderer, config, clock)
    before = await _summary(db, "VL")
    lan = Chat(dispatcher, renderer, clock, channel="telegram", user="301")
    await lan.onboard()
    target = await producer_of(db, "HTX Nông nghiệp Cờ Ðỏ")
    await lan.press(f"p:{target}")
    await lan.send(InputKind.CONTACT, contact_phone="+84912345678")
    assert "claims/claimed" in lan.templates
    names = [name for name, _ in _producers(tmp_path / "ocop.db", "VL")]
    assert "HTX Nông nghiệp Cờ Ðỏ" not in names and "" not in names  # merged, not left empty
    assert await _summary(db, "VL") == (before[0] + 0, before[1] + 1)  # one producer, claimed
    with sqlite3.connect(tmp_path / "ocop.db") as conn:
        claims = conn.execute("SELECT claimed_how, products FROM producer_claims").fetchall()
        kinds = conn.execute("SELECT DISTINCT kind FROM product_events"
                             " WHERE kind = 'claimed'").fetchall()
    assert claims == [("contact", 2)] and kinds == [("claimed",)]
    await lan.say("/sanpham")
    assert "Mắm tép" in lan.text


async def test_after_a_claim_and_deletion_no_personal_data_is_left(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    await load_list(db, renderer, config, clock)
    lan = Chat(dispatcher, renderer, clock, channel="telegram", user="302")
    await lan.onboard()
    target = await producer_of(db, "HTX Nông nghiệp Cờ Ðỏ")
    await lan.press(f"p:{target}")
    await lan.send(InputKind.CONTACT, contact_phone="+84912345678")
    await lan.say("/xoadulieu")
    await lan.press("d:del")
    await lan.press("d:yes")
    assert "deletion/done" in lan.templates, lan.templates
    with sqlite3.connect(tmp_path / "ocop.db") as conn:
        left = conn.execute(
            "SELECT name, contact_person, phone FROM producers WHERE phone = '+84912345678'"
            " OR name LIKE '%Cờ Ðỏ%' OR contact_person = 'Thạch Sơn'"
        ).fetchall()
    assert left == []


async def test_a_registered_person_matching_a_new_list_is_told_once_and_nothing_moves(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, tmp_path: Path,
) -> None:
    early = Chat(dispatcher, renderer, clock, channel="telegram", user="305")
    await early.onboard(name="Cơ sở Hai Lúa", province="can tho")  # Cờ Ðỏ's phone, Hai Lúa's name
    await load_list(db, renderer, config, clock)
    assert await reminders(db, renderer, config, clock) == 0  # no certificate of theirs
    async with db.transaction() as store:
        context = ReminderContext(store=store, renderer=renderer, now=clock(), config=config)
        assert await offer_matches(context) == 2
        assert await offer_matches(context) == 0  # told once
    offers = outbox(tmp_path / "ocop.db", "claim-offer:")
    assert len(offers) == 2 and "/nhansanpham" in offers[0]["payload"]["text"]
    await early.say("/sanpham")
    assert "Trà mãng cầu" not in early.text and "Mắm tép" not in early.text
