"""Printed invitations read back (pages, codes, QR codes); the deep link claims on Telegram."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

import pypdfium2
import zxingcpp

from handlers.claims.invitations import deep_link, prepare
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database, open_database
from tests.broadcasts.test_flow import compose
from tests.chat import Chat, ChatFor, Clock
from tests.claims.rows import real_rows, write_xlsx
from tests.claims.test_claim_flow import load_list
from tests.claims.test_import_certified import run
from tests.outbox.support import make_officer
from tests.rounds.support import officer

BOT = "ocop_test_bot"
CODE = re.compile(r"(\d{4} \d{4} \d{4})")


def read_back(path: Path) -> list[tuple[str, str]]:
    """Each page's text and the text its QR code decodes to."""
    pages = []
    document = pypdfium2.PdfDocument(path)
    for page in document:
        text = page.get_textpage().get_text_range()
        picture = page.render(scale=2).to_pil()
        codes = zxingcpp.read_barcodes(picture)
        pages.append((text, codes[0].text if codes else ""))
    document.close()
    return pages


def _unclaimed(db_path: Path, province: str) -> list[str]:
    async def names() -> list[str]:
        async with open_database(db_path) as db, db.reading() as store:
            return [c.name for c in await store.existing.unclaimed(province)]

    return asyncio.run(names())


def test_one_page_per_unclaimed_producer_with_its_code_and_a_working_qr(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "ocop.db"
    assert run(db_path, "import", "certified", str(write_xlsx(tmp_path / "ds.xlsx",
                                                             real_rows())), "--yes").exit_code == 0
    names = _unclaimed(db_path, "VL")
    out = tmp_path / "giay-moi.pdf"
    result = run(db_path, "invitations", "--province", "Vĩnh Long", str(out), "--bot", BOT)
    assert result.exit_code == 0, result.output
    assert f"Đã in {len(names)} giấy mời" in result.output
    pages = read_back(out)
    assert len(pages) == len(names) == 4
    for (text, link), name in zip(pages, names, strict=True):
        code = CODE.search(text)
        assert code, text
        assert link == deep_link(BOT, code.group(1).replace(" ", ""))
        assert name in text.replace("\r\n", " ").replace("\n", " ")
        assert "Zalo" in text and "/nhansanpham" in text
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM producer_invitations").fetchone() == (4,)
        live = conn.execute("SELECT COUNT(*) FROM claim_codes WHERE used_at IS NULL").fetchone()
    assert live == (4,)
    missing = run(db_path, "invitations", "--province", "Vĩnh Long", str(out))
    assert missing.exit_code == 2 and "TELEGRAM_BOT_USERNAME" in missing.output


async def _invite(db: Database, renderer: Renderer, config: HandlerConfig,
                  clock: Clock) -> dict[str, str]:
    await load_list(db, renderer, config, clock)
    async with db.transaction() as store:
        items = await prepare(store, "VL", BOT, "test", clock(), config.zone)
    return {item.name: item.code for item in items}


async def test_an_invitation_code_from_the_link_claims_after_onboarding(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig, chat_for: ChatFor,
) -> None:
    codes = await _invite(db, renderer, config, clock)
    newcomer = Chat(dispatcher, renderer, clock, channel="telegram", user="701")
    await newcomer.say(f"/start c{codes['Công ty TNHH An Phú']}")
    assert "onboarding/greeting" in newcomer.templates
    await newcomer.press("l:vi")
    await newcomer.press("c:yes")
    await newcomer.say("Công ty An Phú")
    await newcomer.press("e:enterprise")
    for answer in ("Nguyễn Văn Phú", "0987000111", "vinh long", "Xã A"):
        await newcomer.say(answer)
    await newcomer.press("s:ok")
    assert "claims/claimed" in newcomer.templates, newcomer.templates
    await newcomer.say("/sanpham")
    assert "Kẹo dừa sầu riêng" in newcomer.text
    async with db.reading() as store:
        funnel = await store.claiming.funnel("VL")
    assert (funnel.invited, funnel.claimed, funnel.claimed_invited) == (4, 1, 1)
    off = await officer(db, chat_for, province="VL")
    await off.say("/thongke")
    assert "giấy mời đã in 4 → đã xác nhận 1" in off.text
    again = Chat(dispatcher, renderer, clock, channel="telegram", user="702")
    await again.onboard(name="HTX Khác")
    await again.say(f"/start c{codes['Công ty TNHH An Phú']}")  # a used code claims nothing
    assert "claims/link_gone" in again.templates


async def test_a_registered_person_opening_the_link_claims_at_once(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig,
) -> None:
    codes = await _invite(db, renderer, config, clock)
    hai = Chat(dispatcher, renderer, clock, channel="telegram", user="703")
    await hai.onboard(name="Hai Lúa", province="can tho")
    await hai.say("/start c123412341234")  # a guessed code: refused and counted
    assert "claims/link_gone" in hai.templates
    async with db.reading() as store:
        since = clock() - timedelta(hours=1)
        assert await store.code_failures.of_account("telegram", "703", since) == 1
    await hai.say(f"/start c{codes['HTX Nông nghiệp Cờ Ðỏ']}")
    assert "claims/claimed" in hai.templates and "2" in hai.text


async def test_the_chat_broadcast_preview_counts_the_unclaimed_producers(
    db: Database, renderer: Renderer, clock: Clock, config: HandlerConfig,
    chat_for: ChatFor,
) -> None:
    await load_list(db, renderer, config, clock)
    await make_officer(db, clock(), "555", "VL")
    officer = chat_for("555")
    await compose(officer, "Họp chủ thể OCOP ngày 20/12")
    await officer.press("a:ok")
    assert officer.last.replies[-1].context["unclaimed"] == 4
    assert "4 chủ thể trong danh sách của tỉnh chưa xác nhận" in officer.text
