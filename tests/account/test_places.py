"""Communes are real places: a typed commune (with or without diacritics and prefix) becomes
the commune or ward of the province after the 2025 reform, with its code; the text as written
is kept; producers already stored are matched at start; the unmatched are listed for officers."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from bot.cli.main import app
from storage import Database, open_database
from storage.figure_models import Scope
from storage.places import match
from tests.chat import ChatFor

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def test_a_typed_commune_matches_its_place() -> None:
    for typed in ("Xã Cầu Kè", "xa cau ke", "cầu kè", "X. Cầu Kè", "CAU KE"):
        assert match("Vĩnh Long", typed) == [(29308, "Xã Cầu Kè")], typed
    assert match("Cần Thơ", "cau ke") == []  # another province has no such commune
    assert match("Vĩnh Long", "") == []


async def test_onboarding_confirms_the_official_name_and_keeps_the_typed_text(
    db: Database, chat_for: ChatFor
) -> None:
    lan = chat_for("91")
    await lan.say("/start")
    await lan.press("l:vi")
    await lan.press("c:yes")
    await lan.say("HTX Cầu Kè")
    await lan.press("e:cooperative")
    await lan.say("Lan")
    await lan.say("0912 345 678")
    await lan.say("tra vinh")
    await lan.say("cau ke")
    assert "Xã Cầu Kè" in lan.text  # the summary to confirm shows the place
    await lan.press("s:ok")
    async with db.reading() as store:
        user = await store.users.find("telegram", "91")
        assert user is not None and user.producer_id is not None
        conn = store.places._db
        async with conn.execute("SELECT commune, commune_code, commune_typed FROM producers"
                                " WHERE id = ?", (user.producer_id,)) as cur:
            row = await cur.fetchone()
    assert row is not None and tuple(row) == ("Xã Cầu Kè", 29308, "cau ke")  # as written too
    await lan.say("/toi")
    await lan.press("f:x")
    await lan.say("Xã Thông Hòa, Huyện Cầu Kè")  # an old address: today's commune, text kept
    async with db.reading() as store:
        producer = await store.users.producer(user.producer_id)
    assert producer is not None and producer.commune == "Xã Tam Ngãi"
    assert producer.commune_typed == "Xã Thông Hòa, Huyện Cầu Kè"


async def _stored(db_path: Path, communes: list[str]) -> None:
    """Producers as an older version stored them: commune as typed, not matched."""
    async with open_database(db_path) as db, db.transaction() as store:
        for n, commune in enumerate(communes):
            pid = await store.users.create_producer(
                {"name": f"HTX {n}", "entity_type": "cooperative", "contact_person": "A",
                 "phone": f"+8491234567{n}", "province_code": "VL", "commune": commune}, NOW)
            await store.places._db.execute(
                "UPDATE producers SET commune = ?, commune_code = NULL, commune_typed = NULL"
                " WHERE id = ?", (commune, pid))


async def _after_start(db_path: Path) -> tuple[list[Any], list[tuple[int, str, str, str]]]:
    async with open_database(db_path) as db, db.reading() as store:  # a start matches them
        rows = await store.figures.breakdown(Scope(province="VL"), 2026, date(2026, 12, 1),
                                             "commune")
        return rows, await store.places.unplaced("VL")


def test_stored_rows_are_matched_at_start_and_the_rest_listed(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_stored(db_path, ["xa cau ke", "cầu kè", "Xã Cầu Kè", "Ấp Không Có Thật"]))
    rows, unplaced = asyncio.run(_after_start(db_path))
    producers = {row.key: row.producers for row in rows}
    assert producers == {"29308": 3, "": 1}  # Xã Cầu Kè's code once, the unplaced apart
    assert [(u[1], u[3]) for u in unplaced] == [("HTX 3", "Ấp Không Có Thật")]
    result = CliRunner().invoke(app, ["communes-unplaced", "--province", "vinh long"],
                                env={"OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"})
    assert result.exit_code == 0 and "“Ấp Không Có Thật”" in result.output


def test_an_old_address_becomes_the_commune_of_today(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_stored(db_path, ["Xã Thông Hòa, Huyện Cầu Kè"]))  # typed before the reform

    async def read() -> tuple[Any, ...]:
        async with open_database(db_path) as db, db.reading() as store, store.places._db.execute(
                "SELECT commune, commune_code, commune_typed FROM producers") as cur:
            row = await cur.fetchone()
        assert row is not None
        return tuple(row)

    assert asyncio.run(read()) == ("Xã Tam Ngãi", 29335, "Xã Thông Hòa, Huyện Cầu Kè")


async def test_a_province_typed_by_its_former_name_keeps_the_former_province(
    db: Database, chat_for: ChatFor
) -> None:
    lan = chat_for("92")
    await lan.onboard(province="tra vinh")
    async with db.reading() as store:
        formers = await store.figures.formers("VL")
    assert formers == ["Trà Vinh"]
