"""Reference data in the glossary's words: province notes, optional items, old databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import open_database
from tests.chat import Chat

OLD_QUALITY = ("Các chứng nhận quản lý chất lượng mà cơ sở đang có; không có thì đánh dấu "
               '"có giấy" để bỏ qua.')


async def _to_province_step(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:yes")
    for answer in ("HTX Tân Phú", "htx", "Nguyễn Thị Lan", "0912345678"):
        await chat.say(answer)


@pytest.mark.parametrize(("typed", "said"), [
    ("ben tre", "Bến Tre đã hợp nhất vào Vĩnh Long từ 01/7/2025"),
    ("sai gon", "Sài Gòn: đã ghi là Thành phố Hồ Chí Minh"),
    ("thua thien hue", "Thừa Thiên Huế: đã ghi là Huế"),
])
async def test_merged_province_differs_from_old_name(chat: Chat, typed: str, said: str) -> None:
    await _to_province_step(chat)
    await chat.say(typed)
    assert chat.templates[0] == "profile/province_merged"
    assert said in chat.text
    assert ("hợp nhất" in chat.text) == (typed == "ben tre")


async def test_optional_items_never_ask_to_claim_a_paper(tmp_path: Path) -> None:
    async with open_database(tmp_path / "ocop.db") as db, db.transaction() as store:
        items = await store.catalog.dossier_items()
    texts = {item.code: item.explain_vi for item in items}
    assert texts["quality_certs"].startswith("Không bắt buộc; chưa có thì bỏ qua")
    assert not any("có giấy" in text for text in texts.values())


async def test_an_old_database_gets_the_new_wording_but_keeps_edits(tmp_path: Path) -> None:
    path = tmp_path / "ocop.db"
    async with open_database(path):
        pass
    with sqlite3.connect(path) as conn:  # as a database seeded by the previous release
        conn.execute("DELETE FROM schema_version WHERE version = 10")
        conn.execute("ALTER TABLE provinces DROP COLUMN aliases")
        conn.execute("UPDATE dossier_items SET explain_vi = ? WHERE code = 'quality_certs'",
                     (OLD_QUALITY,))
        conn.execute("UPDATE dossier_items SET explain_vi = 'Sửa bởi cán bộ'"
                     " WHERE code = 'samples'")
    async with open_database(path) as db, db.transaction() as store:
        texts = {i.code: i.explain_vi for i in await store.catalog.dossier_items()}
        hue = await store.reference.province("HUE")
    assert texts["quality_certs"].startswith("Không bắt buộc; chưa có thì bỏ qua")
    assert texts["samples"] == "Sửa bởi cán bộ"
    assert hue is not None and hue.aliases == ("Thừa Thiên Huế",)


async def test_the_menu_separates_my_details_from_the_dossier(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("0")
    assert "Thông tin của tôi" in chat.text and "Hồ sơ của tôi" not in chat.text
    await chat.say("hồ sơ của tôi")  # someone looking for the dossier gets their products
    assert chat.templates[0] != "profile/show"
    await chat.say("thông tin của tôi")
    assert chat.templates == ["profile/show"]
