"""Admins invite officers with a one-time code typed in chat, and revoke them."""

from __future__ import annotations

import re

import pytest

from storage import Database
from storage.models import Role
from tests.chat import Chat, ChatFor, Clock


@pytest.fixture
def admin(chat_for: ChatFor) -> Chat:
    """The admin named in the test configuration (telegram:999)."""
    return chat_for("999")


@pytest.fixture
def newcomer(chat_for: ChatFor) -> Chat:
    """The person being invited, on Zalo."""
    return chat_for("z-officer", "zalo")


async def _invite(admin: Chat, province: str = "vinh long") -> str:
    await admin.say("/canbo")
    await admin.press("o:inv")
    assert admin.templates == ["invites/ask_province"]  # one question, not also the profile's
    await admin.say(province)
    assert admin.templates[0] == "invites/code"
    found = re.search(r"\b(\d{4} \d{4} \d{4})\b", admin.text)
    assert found is not None
    return found.group(1).replace(" ", "")  # shown in groups of four


async def test_invite_code_makes_an_officer_once(
    admin: Chat, newcomer: Chat, db: Database
) -> None:
    code = await _invite(admin)
    await newcomer.say(f"/macanbo {code}")
    assert newcomer.templates == ["invites/welcome", "officer/main"]
    assert "Vĩnh Long" in newcomer.text
    async with db.transaction() as store:
        user = await store.users.find("zalo", "z-officer")
        assert user is not None and user.role is Role.OFFICER and user.officer_province == "VL"
        grants = await store.audit.entries("grant_officer")
        assert grants[0].actor == "telegram:999" and grants[0].subject == "zalo:z-officer"
    other = Chat(newcomer.dispatcher, newcomer.renderer, newcomer.clock, "telegram", "55")
    await other.say("ma can bo")
    assert other.templates == ["invites/ask_code"]
    await other.say(code)
    assert other.templates[0] == "invites/spent"


async def test_wrong_and_expired_codes(
    admin: Chat, newcomer: Chat, clock: Clock, db: Database
) -> None:
    code = await _invite(admin)
    wrong = "000000" if code != "000000" else "111111"
    await newcomer.say(f"/macanbo {wrong}")
    assert newcomer.templates[0] == "invites/wrong_code"
    clock.advance(days=4)
    await newcomer.say(f"/macanbo {code}")
    assert newcomer.templates[0] == "invites/spent"
    for _ in range(6):  # the wrong code of 4 days ago is outside the hour: 5 more, then none
        await newcomer.say(f"/macanbo {wrong}")
    assert newcomer.templates[0] == "invites/too_many"
    async with db.transaction() as store:
        user = await store.users.find("zalo", "z-officer")
        assert user is not None and user.role is Role.PRODUCER


async def test_officers_cannot_invite_and_admin_revokes(
    admin: Chat, newcomer: Chat, db: Database
) -> None:
    await newcomer.say(f"/macanbo {await _invite(admin)}")
    assert "o:inv" not in newcomer.keys and "o:rev" in newcomer.keys
    await newcomer.press("o:inv")  # not offered to an officer: refused
    assert newcomer.templates[0] == "errors/stale_menu"
    await admin.say("/canbo")
    await admin.press("o:staff")
    assert admin.templates == ["invites/staff"] and "zalo:z-officer" in admin.text
    revoke = next(k for k in admin.keys if k.startswith("rv:"))
    await admin.press(revoke)
    assert admin.templates[0] == "invites/revoked"
    await newcomer.say("/canbo")
    assert newcomer.templates == ["errors/forbidden", "menu/main"]
    async with db.transaction() as store:
        assert [e.subject for e in await store.audit.entries("revoke")] == ["zalo:z-officer"]


async def test_an_admin_typing_an_invite_code_stays_admin(admin: Chat, db: Database) -> None:
    """A granted admin trying a code is not turned into an officer, and the code stays usable."""
    other = Chat(admin.dispatcher, admin.renderer, admin.clock, "zalo", "z-admin")
    await other.say("/start")
    async with db.transaction() as store:
        user = await store.users.find("zalo", "z-admin")
        assert user is not None
        await store.users.grant(user.id, Role.ADMIN, None, "cli", admin.clock())
    code = await _invite(admin)
    await other.say(f"/macanbo {code}")
    assert other.templates[0] == "invites/already_admin"
    async with db.transaction() as store:
        user = await store.users.find("zalo", "z-admin")
        assert user is not None and user.role is Role.ADMIN
        invite = await store.invites.get(code)
        assert invite is not None and invite.used_at is None


async def test_an_item_offered_before_losing_a_role_is_refused_politely(
    chat_for: ChatFor, clock: Clock, db: Database
) -> None:
    """An admin made officer while the officer menu is open cannot open the staff list."""
    boss = chat_for("z-boss", "zalo")
    await boss.say("/start")
    async with db.transaction() as store:
        user = await store.users.find("zalo", "z-boss")
        assert user is not None
        await store.users.grant(user.id, Role.ADMIN, None, "cli", clock())
    await boss.say("/canbo")
    assert "o:staff" in boss.keys
    async with db.transaction() as store:
        await store.users.grant(user.id, Role.OFFICER, "VL", "cli", clock())
    await boss.press("o:staff")
    assert boss.templates == ["errors/stale_menu", "officer/main"]
    assert "o:staff" not in boss.keys
