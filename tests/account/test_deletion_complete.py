"""/xoadulieu leaves no trace of the person: every text column of every table is searched."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from messages.text import fold
from storage import Database
from tests.broadcasts.test_flow import send_now
from tests.chat import Chat, ChatFor, Clock
from tests.products.steps import register
from tests.rounds import support
from tests.rounds.test_flow import local, make_round
from tests.trainings.test_flow import make_training

NAME = "HTX Mây Tre Đan Quỳnh Xuyến"
CONTACT = "Trịnh Thị Quỳnh Xuyến"
PHONE_TYPED = "0978 123 457"
PHONE_DIGITS = "978123457"  # the number without its leading 0 or +84
COMMUNE = "Xã Mỹ Xuyến Tây"
PRODUCT = "Giỏ mây Quỳnh Xuyến"


async def _onboard(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:yes")
    await chat.say(NAME)
    await chat.press("e:cooperative")
    await chat.say(CONTACT)
    await chat.say(PHONE_TYPED)
    await chat.say("vinh long")
    await chat.say(COMMUNE)
    await chat.press("s:ok")
    assert "onboarding/done" in chat.templates, chat.templates


def _forms(needle: str) -> list[str]:
    """The ways a string may be stored: as typed, JSON-escaped, folded (menus keep words)."""
    return [needle, json.dumps(needle)[1:-1], fold(needle)]


def _traces(path: Path, needles: list[str], digits: str) -> list[tuple[str, str, str]]:
    """(table, column, value) of every stored value that holds one of the needles."""
    found = []
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"producers", "outbox", "audit_log", "conversations", "broadcasts"} <= set(tables)
        for table in tables:
            columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                for (value,) in conn.execute(f'SELECT "{column}" FROM "{table}"'):
                    if value is None:
                        continue
                    text = str(value)
                    lowered = text.casefold()
                    hit = any(form.casefold() in lowered for n in needles for form in _forms(n))
                    if hit or digits in re.sub(r"\D", "", text):
                        found.append((table, column, text[:200]))
    finally:
        conn.close()
    return found


async def test_deleting_by_chat_leaves_the_name_and_phone_nowhere_in_the_database(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    officer = await support.officer(db, chat_for, user="801")
    producer = chat_for("701")
    await _onboard(producer)
    needles = [NAME, CONTACT, COMMUNE, PRODUCT]
    path = tmp_path / "ocop.db"

    # A product registered and submitted: the province's officers are told.
    pid = await register(producer, name=PRODUCT)
    await producer.press("sm:ok")
    assert producer.templates[0] == "products/submitted"
    # The officer sends it back with a note that names the person, who sends it again.
    await officer.say("/duyet")
    await officer.press(f"r:{pid}")
    await officer.press("ra:ret")
    await officer.say(f"Chị {CONTACT} ({PHONE_TYPED}) bổ sung phiếu kiểm nghiệm giúp em")
    assert officer.templates[0] == "review/returned"
    await producer.say("/sanpham")
    await producer.press(f"p:{pid}")
    await producer.press("v:edit")
    await producer.press("sm:ok")
    assert producer.templates[0] == "products/submitted"
    # Entered in a round, enrolled in a training, a second product left as a draft.
    round_id = await make_round(db, clock, opens=local(1, 12))
    await producer.say("/hanchot")
    await producer.press(f"e:{round_id}")
    await producer.press(f"p:{pid}")
    assert producer.templates[0] == "rounds/entered"
    training_id = await make_training(db, clock)
    await producer.say("/taphuan")
    await producer.press(f"t:{training_id}")
    await producer.press("en")
    await producer.say("/dangky")
    await producer.press("r:new")
    await producer.say(f"{PRODUCT} loại nhỏ")
    # A link code, a wrong link code, an announcement to the province, a data export.
    await producer.say("/toi")
    await producer.press("f:link")
    await producer.press("k:show")
    assert producer.templates == ["linking/code"]
    await producer.say("/lienket 1111 2222 3333")
    await send_now(officer, "Họp chủ thể OCOP ngày 10/12 tại UBND xã")
    await officer.say("/duyet")  # the officer's screen now lists the dossier
    assert PRODUCT in officer.text
    await producer.say("/xoadulieu")
    assert CONTACT in producer.text

    before = _traces(path, needles, PHONE_DIGITS)
    assert {table for table, _, _ in before} >= {"producers", "products", "outbox", "audit_log",
                                                 "conversations"}, before

    await producer.press("d:del")
    await producer.press("d:yes")
    assert producer.templates == ["deletion/done", "menu/main"]

    after = _traces(path, needles, PHONE_DIGITS)
    assert after == [], "\n".join(map(str, after))
    # The officer's stale list is not shown again; pressing it gets a polite answer.
    await officer.press(f"r:{pid}")
    assert officer.templates[0] in ("errors/stale_menu", "review/not_available"), officer.templates
