"""Figures and targets count communes by their official code and show the official name;
producers whose commune is no known place are one line, "Chưa xác định xã", with no target;
a target set for a commune by name (older versions, the CLI) is kept by its code."""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import app
from storage import Database, Store, open_database
from storage.figure_models import Scope
from tests.chat import ChatFor
from tests.figures.fixture import NOW, TODAY, fill
from tests.rounds.support import officer


async def _unplaced(store: Store) -> None:
    """A producer of Hải Phòng whose commune is no place, looked at already."""
    await store.users.create_producer(
        {"name": "E", "entity_type": "household", "contact_person": "E",
         "phone": "+84901234569", "province_code": "HP", "commune": "Xóm Chài"}, NOW)
    await store.places.place_producers()


async def test_the_unplaced_are_one_line_named_as_such_without_a_target(
    db: Database, chat_for: ChatFor
) -> None:
    async with db.transaction() as store:
        await fill(store)
        await _unplaced(store)
    off = await officer(db, chat_for, province="HP")
    await off.say("/thongke")
    await off.press("f:commune")
    assert "Xã An Lão: 3 còn hiệu lực" in off.text and "Xóm Chài" not in off.text
    assert "Chưa xác định xã: 0 còn hiệu lực" in off.text
    names = [choice.text for choice in off.last.replies[0].choices]
    await off.press(f"k:{names.index('Chưa xác định xã')}")
    assert "🔎 Chưa xác định xã" in off.text and "Chủ thể: 1" in off.text
    assert "f:target" not in off.keys  # a target is a commune's, not the unplaced's


async def _old_target(db_path: Path) -> None:
    async with open_database(db_path) as db, db.transaction() as store:
        await fill(store)
        await store.targets.set("HP", 2026, 4, scope="commune:an lao", by="cli", now=NOW)
        await store.targets.set("HP", 2026, 9, scope="commune:Xóm Chài", by="cli", now=NOW)


async def _targets(db_path: Path) -> tuple[list[tuple[str, int]], int | None]:
    async with open_database(db_path) as db, db.reading() as store:
        found = await store.targets.of_province("HP", 2026)
        summary = await store.figures.summary(Scope(province="HP", commune="11629"), 2026, TODAY)
    return [(t.scope, t.products) for t in found], summary.target


def test_targets_by_name_become_targets_by_code_and_the_cli_sets_them_so(
    tmp_path: Path
) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_old_target(db_path))
    targets, an_lao = asyncio.run(_targets(db_path))  # a start places them
    assert targets == [("commune:11629", 4), ("commune:Xóm Chài", 9)] and an_lao == 4
    env = {"OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(app, ["target", "set", "--province", "hai phong", "--year",
                                      "2026", "--products", "6", "--commune", "Tu Ky"], env=env)
    assert result.exit_code == 0 and "Xã Tứ Kỳ" in result.output
    unknown = CliRunner().invoke(app, ["target", "set", "--province", "hai phong", "--year",
                                       "2026", "--products", "6", "--commune", "Xóm Chài"],
                                 env=env)
    assert unknown.exit_code != 0 and "Không tìm thấy đúng một xã/phường" in unknown.output
    targets, _ = asyncio.run(_targets(db_path))
    assert ("commune:11074", 6) in targets and len(targets) == 3
