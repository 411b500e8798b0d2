"""Commune officers are invited as officers are: a province officer makes a one-time code for
one commune of the province (chat) or an admin for any (console); the invited person types it
with /macanbo and checks that commune's dossiers first."""

from __future__ import annotations

import re

from storage import Database
from storage.models import Role
from tests.chat import ChatFor
from tests.rounds import support
from tests.web.support import console_server, csrf_of, seed, sign_in

CODE = re.compile(r"/macanbo ([\d ]+\d)")


async def test_a_province_officer_invites_a_commune_officer_in_chat(
    db: Database, chat_for: ChatFor
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/moicanboxa")
    assert "invites/ask_commune" in off.templates
    await off.say("khong co xa nay")
    assert "invites/commune_unknown" in off.templates
    await off.say("cau ke")
    assert "invites/code" in off.templates and "Mã mời cán bộ xã Cầu Kè (Vĩnh Long)" in off.text
    found = CODE.search(off.text)
    assert found is not None
    xa = chat_for("88")
    await xa.say(f"/macanbo {found.group(1)}")
    assert "invites/welcome" in xa.templates and "cán bộ xã phụ trách" in xa.text
    async with db.reading() as store:
        user = await store.users.find("telegram", "88")
        assert user is not None and user.role is Role.COMMUNE_OFFICER
        assert await store.communes.commune_of(user.id) == ("VL", "Xã Cầu Kè", "cau ke")
        [entry] = await store.audit.entries("grant_commune_officer")
    assert entry.details["commune"] == "Xã Cầu Kè"
    await xa.say("/hosoxa")
    assert "commune/list" in xa.templates
    await xa.say("/menu")
    assert "m:xa" in xa.keys and "m:off" not in xa.keys  # the commune's dossiers, no more
    await xa.press("m:xa")
    assert "commune/list" in xa.templates
    await off.say("/canbo")
    assert "o:xa" in off.keys and "o:ixa" in off.keys


async def test_an_admin_invites_a_commune_officer_in_the_console(db: Database) -> None:
    seeded = await seed(db)
    async with console_server(db) as admin:
        await sign_in(admin, db, seeded.users["admin"])
        csrf = csrf_of((await admin.get("/web/officers")).text)
        bad = await admin.post("/web/officers/invite",
                               data={"csrf": csrf, "province": "VL", "commune": "Không Có"})
        assert bad.status_code == 400 and "xã/phường" in bad.text
        made = await admin.post("/web/officers/invite",
                                data={"csrf": csrf, "province": "VL", "commune": "xa cau ke"})
        assert made.status_code == 200 and "/macanbo" in made.text
    async with db.reading() as store:
        [entry] = await store.audit.entries("officer_invite_created")
    assert entry.details["commune"] == "Xã Cầu Kè"


