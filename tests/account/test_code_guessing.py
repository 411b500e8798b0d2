"""Invite and link codes cannot be guessed: long codes, counters that outlive data deletion,
and a ceiling on wrong codes for the whole bot."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from handlers.account import codes
from handlers.account.invites import INVITE_TTL
from handlers.account.linking import CODE_TTL
from storage import Database
from storage.models import Role
from tests.chat import Chat, ChatFor, Clock

CODE_SHOWN = re.compile(r"\b(\d{4} \d{4} \d{4})\b")


@pytest.fixture
def admin(chat_for: ChatFor) -> Chat:
    """The admin named in the test configuration (telegram:999)."""
    return chat_for("999")


async def _invite(admin: Chat) -> str:
    """An officer invite for Vĩnh Long, as the admin reads it in chat (grouped digits)."""
    await admin.say("/canbo")
    await admin.press("o:inv")
    await admin.say("vinh long")
    assert admin.templates[0] == "invites/code"
    found = CODE_SHOWN.search(admin.text)
    assert found is not None, admin.text
    return found.group(1)


async def _link_code(chat: Chat) -> str:
    await chat.say("/toi")
    await chat.press("f:link")
    await chat.press("k:show")
    assert chat.templates == ["linking/code"]
    found = CODE_SHOWN.search(chat.text)
    assert found is not None, chat.text
    return found.group(1)


def _wrong(code: str, n: int) -> str:
    """A well-formed code that is not `code` (the n-th such)."""
    digits = code.replace(" ", "")
    wrong = f"{(int(digits) + 1 + n) % 10 ** codes.CODE_DIGITS:0{codes.CODE_DIGITS}d}"
    return codes.shown(wrong)


async def _role(db: Database, channel: str, external_id: str) -> Role | None:
    async with db.transaction() as store:
        user = await store.users.find(channel, external_id)
    return user.role if user else None


def _ceiling_notices(path: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(
            "SELECT o.*, u.channel || ':' || u.external_id AS address FROM outbox o"
            " JOIN users u ON u.id = o.user_id WHERE o.dedupe_key LIKE 'codes:ceiling:%'"
        ).fetchall()
    finally:
        conn.close()


async def test_wrong_codes_still_count_after_the_account_deletes_its_data(
    admin: Chat, chat_for: ChatFor, clock: Clock, db: Database,
    tmp_path: Path,
) -> None:
    """Guess up to the limit, delete one's data by chat, come back: still refused."""
    invite = await _invite(admin)
    guesser = chat_for("z-guess", "zalo")
    await guesser.onboard(name="Hộ Đoán Mã")
    for n in range(3):
        await guesser.say(f"/macanbo {_wrong(invite, n)}")
        assert guesser.templates[0] == "invites/wrong_code"
    for n in range(3, codes.ACCOUNT_MAX_FAILURES):
        await guesser.say(f"/lienket {_wrong(invite, n)}")
        assert guesser.templates[0] in ("linking/wrong_code", "linking/too_many")
    await guesser.say("/xoadulieu")
    await guesser.press("d:del")
    await guesser.press("d:yes")
    assert guesser.templates == ["deletion/done", "menu/main"]
    clock.advance(minutes=5)
    await guesser.say(f"/macanbo {invite}")  # even the right code waits out the hour
    assert guesser.templates[0] == "invites/too_many"
    await guesser.say(f"/lienket {_wrong(invite, 9)}")
    assert guesser.templates[0] == "linking/too_many"
    assert await _role(db, "zalo", "z-guess") is Role.PRODUCER
    conn = sqlite3.connect(tmp_path / "ocop.db")
    try:
        kept = conn.execute("SELECT DISTINCT account_hash FROM code_failures").fetchall()
    finally:
        conn.close()
    assert len(kept) == 1 and len(kept[0][0]) == 64 and "z-guess" not in kept[0][0]
    clock.advance(hours=1)
    await guesser.say(f"/macanbo {invite}")
    assert guesser.templates[0] == "invites/welcome"


async def test_many_accounts_hit_the_bot_wide_ceiling_and_admins_are_told_once(
    admin: Chat, chat_for: ChatFor, clock: Clock, db: Database,
    tmp_path: Path,
) -> None:
    invite = await _invite(admin)
    per_account = codes.ACCOUNT_MAX_FAILURES - 1  # no single account reaches its own limit
    for n in range(codes.BOT_MAX_FAILURES):
        chat = chat_for(f"z{n // per_account}", "zalo")
        command = "/macanbo" if n % 2 else "/lienket"
        await chat.say(f"{command} {_wrong(invite, n)}")
        assert chat.templates[0] in ("invites/wrong_code", "linking/wrong_code"), n
    assert len(_ceiling_notices(tmp_path / "ocop.db")) == 1

    fresh = chat_for("fresh")
    await fresh.say(f"/macanbo {invite}")  # well-formed, even right: refused for the hour
    assert fresh.templates[0] == "codes/paused"
    assert "thử lại" in fresh.text
    await fresh.say(f"/lienket {_wrong(invite, 99)}")
    assert fresh.templates[0] == "codes/paused"
    for n in range(5):
        other = chat_for(f"late{n}")
        await other.say(f"/macanbo {_wrong(invite, 200 + n)}")
        assert other.templates[0] == "codes/paused"
    assert await _role(db, "telegram", "fresh") is Role.PRODUCER

    notices = _ceiling_notices(tmp_path / "ocop.db")
    assert [row["address"] for row in notices] == ["telegram:999"]
    assert notices[0]["urgent"] == 1

    clock.advance(hours=1, minutes=1)
    await fresh.say(f"/macanbo {invite}")
    assert fresh.templates[0] == "invites/welcome"
    assert len(_ceiling_notices(tmp_path / "ocop.db")) == 1


def test_codes_are_long_digits_grouped_for_reading_and_forgiving_when_typed() -> None:
    drawn = {codes.new_code() for _ in range(200)}
    assert len(drawn) == 200
    assert all(len(code) == codes.CODE_DIGITS and code.isdigit() for code in drawn)
    assert codes.CODE_DIGITS >= 12
    assert codes.shown("482109375512") == "4821 0937 5512"
    for typed in ("4821 0937 5512", " 4821-0937-5512 ", "4821.0937.5512", "482109375512"):
        assert codes.typed(typed) == "482109375512"
    assert codes.typed("12ab") == "12AB"  # not digits: the caller says the format is wrong
    assert not codes.well_formed(codes.typed("12ab"))
    assert not codes.well_formed("482913")  # an old six-digit code
    # Every wrong guess the whole bot may take during the longest code lifetime, against
    # 100 codes alive at once, finds one with a chance under one in a million.
    hours = max(INVITE_TTL, CODE_TTL).total_seconds() / 3600
    odds = codes.BOT_MAX_FAILURES * hours * 100 / len(codes.ALPHABET) ** codes.CODE_DIGITS
    assert odds < 1e-6


async def test_codes_typed_with_spaces_or_dashes_link_the_accounts(
    chat_for: ChatFor, db: Database
) -> None:
    tg = chat_for("t1")
    zl = chat_for("z1", "zalo")
    await tg.onboard()
    code = await _link_code(tg)
    await zl.say("/lienket")
    await zl.press("k:enter")
    await zl.say(code.replace(" ", "-"))
    assert zl.templates == ["linking/confirm"], zl.templates
    await zl.press("k:yes")
    assert zl.templates[0] == "linking/linked"
