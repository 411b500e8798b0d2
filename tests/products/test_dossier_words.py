"""The dossier says what is missing before sending, what comes next, and fits one screen."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from storage import Database, open_database
from storage.rounds import NewRound
from tests.chat import Chat, Clock
from tests.products.steps import register


async def test_the_summary_says_what_is_missing_and_what_comes_next(chat: Chat) -> None:
    await chat.onboard(province="vinh long")
    await register(chat, photos=0)
    assert "Còn thiếu: Phiếu đăng ký sản phẩm OCOP; Báo cáo tự đánh giá" in chat.text
    assert "và 10 mục khác; ảnh sản phẩm" in chat.text
    assert "bổ sung sau" in chat.text
    await chat.say("gui ho so")
    assert chat.templates[0] == "products/submitted"
    assert "sẽ báo khi có đợt mới" in chat.text  # no round yet: said, and kept (announcements)


async def test_after_sending_the_open_round_and_its_deadline_are_named(
    chat: Chat, db: Database, clock: Clock
) -> None:
    now = clock()
    async with db.transaction() as store:
        await store.rounds.create(NewRound(
            name="Dot II nam 2026", province_code="VL",
            registration_opens_at=now - timedelta(days=1),
            registration_deadline=now + timedelta(days=14),
            dossier_deadline=now + timedelta(days=30),
            council_at=now + timedelta(days=45), results_at=now + timedelta(days=60),
        ), "test", now)
    await chat.onboard(province="vinh long")
    await register(chat)
    await chat.press("sm:ok")
    deadline = (now + timedelta(days=14)).strftime("%d/%m/%Y")
    assert "Dot II nam 2026" in chat.text and f"hạn chót {deadline}" in chat.text
    assert "hạn chót" in chat.text and "đang mở đăng ký" in chat.text


async def test_the_checklist_lists_each_item_once_next_one_first(chat: Chat) -> None:
    await chat.onboard()
    await register(chat)
    await chat.press("sm:chk")
    await chat.press("i:reg_form")
    await chat.photo("form-scan")
    assert chat.templates[-1] == "dossier/checklist"
    text = chat.text
    assert text.count("Báo cáo tự đánh giá") == 2  # "next to do", and its own line
    assert text.count("Giấy đăng ký kinh doanh") == 1  # each item once
    assert chat.keys[0] == "i:self_assess"  # the next item to do comes first
    question = text.split("\n1. ")[0]
    assert len(question.splitlines()) <= 8  # the question comes within one phone screen


async def test_samples_are_prepared_not_on_paper(chat: Chat) -> None:
    await chat.onboard()
    await register(chat)
    await chat.press("sm:chk")
    await chat.say("5 san pham mau")
    assert chat.templates == ["dossier/item"]
    assert "Tôi đã chuẩn bị" in chat.text and "bản giấy" not in chat.text
    await chat.say("toi da chuan bi")
    assert chat.templates == ["dossier/marked", "dossier/checklist"]
    assert "📦 5 sản phẩm mẫu" in chat.text
    await chat.press("i:business_reg")
    assert "Tôi có bản giấy" in chat.text  # a paper keeps its own button


async def test_an_old_database_learns_which_items_are_prepared(tmp_path: Path) -> None:
    path = tmp_path / "ocop.db"
    async with open_database(path):
        pass
    with sqlite3.connect(path) as conn:  # as a database of the previous release
        conn.execute("DELETE FROM schema_version WHERE version = 14")
        conn.execute("ALTER TABLE dossier_items DROP COLUMN physical")
        conn.execute("UPDATE dossier_items SET explain_vi = ? WHERE code = 'self_assess'",
                     ("Bạn tự chấm sản phẩm theo bộ tiêu chí của bộ sản phẩm, kèm minh chứng.",))
    async with open_database(path) as db, db.transaction() as store:
        items = {i.code: i for i in await store.catalog.dossier_items()}
    assert items["samples"].physical and not items["reg_form"].physical
    assert items["self_assess"].explain_vi.startswith("Chủ thể tự chấm")
