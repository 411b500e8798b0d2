"""Scoring a product by chat: the whole set on each channel, skip, back, resume, change."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import Database
from tests.assessment.criteria_files import criteria_folder, write_small
from tests.assessment.steps import load, open_assessment, product_for, scored
from tests.chat import Chat, ChatFor


async def _answers(db: Database, pid: int) -> dict[str, int | None]:
    async with db.transaction() as store:
        found = await store.assessments.of_product(pid)
        assert found is not None
        return await store.assessments.answers(found.id)


async def _pick(chat: Chat, n: int) -> None:
    """Pick option n the way the channel does: a button on Telegram, the number elsewhere."""
    if chat.channel == "telegram":
        await chat.press(chat.keys[n - 1])
    else:
        await chat.say(str(n))


@pytest.mark.parametrize("channel", ["telegram", "zalo", "terminal"])
async def test_a_whole_set_is_walked_by_chat(
    channel: str, chat_for: ChatFor, db: Database, tmp_path: Path
) -> None:
    count = await load(db, criteria_folder(tmp_path))
    chat = chat_for("31", channel)
    pid = await product_for(chat)
    await open_assessment(chat, pid)
    assert chat.templates[:2] == ["assessment/intro", "assessment/criterion"], chat.templates
    assert "Hồ sơ bị loại khi" in chat.text
    seen = 0
    while chat.templates[-1] == "assessment/criterion":
        seen += 1
        context = chat.last.replies[-1].context
        assert context["index"] == seen and context["count"] == count
        best = max(context["options"], key=lambda o: o["points"])
        await _pick(chat, best["n"])  # the best level
    assert seen == count
    assert chat.templates[-1] == "assessment/result"
    result = chat.last.replies[-1].context
    assert result["total"] == 100 and result["stars"] == 5
    answers = await _answers(db, pid)
    assert len(answers) == count and None not in answers.values()


async def test_unsure_back_and_typed_words(chat: Chat, db: Database, tmp_path: Path) -> None:
    await load(db, write_small(tmp_path / "small"))
    pid = await product_for(chat)
    await chat.say("cham diem")  # typed, without diacritics: the one product opens
    assert chat.templates[-1] == "assessment/criterion"
    assert chat.last.replies[-1].context["code"] == "1.1"
    assert "tối thiểu cho 4★" in chat.text and "Yêu cầu: 100%" in chat.text
    await chat.say("chua ro")  # 1.1 skipped
    assert chat.last.replies[-1].context["code"] == "1.2"
    await chat.say("quay lại")  # back one: 1.1 again, its answer shown
    assert chat.last.replies[-1].context["code"] == "1.1"
    assert chat.last.replies[-1].context["unsure"] is True
    await chat.say("2")
    assert (await _answers(db, pid))["A:1.1"] == 2
    for _ in range(4):
        await chat.say("1")
    assert chat.templates[-1] == "assessment/result"
    # 10 + 0 + 5 + 5 + 0 = 20 points
    assert chat.last.replies[-1].context["total"] == 20


async def test_leaving_and_coming_back_resumes(chat: Chat, db: Database, tmp_path: Path) -> None:
    await load(db, write_small(tmp_path / "small"))
    pid = await product_for(chat)
    await open_assessment(chat, pid)
    await chat.say("3")
    await chat.say("2")
    await chat.say("0")  # to the menu
    await chat.say("chấm điểm")
    assert chat.templates[:2] == ["assessment/resumed", "assessment/criterion"]
    assert chat.last.replies[-1].context["code"] == "2"
    await chat.press("o:later")
    assert chat.templates[0] == "assessment/saved_for_later"
    assert await _answers(db, pid) == {"A:1.1": 3, "A:1.2": 2}


async def test_an_answer_is_changed_from_the_result(
    chat: Chat, db: Database, tmp_path: Path
) -> None:
    # 70 points, but 1.1 under its 4★ minimum
    pid = await scored(chat, db, write_small(tmp_path / "small"), (2, 3, 3, 3, 1))
    result = chat.last.replies[-1].context
    assert (result["total"], result["stars"], result["capped"]) == (70, 3, True)
    assert [s["code"] for s in result["shortfalls"]] == ["1.1"]
    await chat.press("r:edit:A")
    assert chat.templates == ["assessment/edit"]
    await chat.press("c:A:1.1")
    await chat.say("3")
    assert chat.templates[-1] == "assessment/result"
    result = chat.last.replies[-1].context
    assert (result["total"], result["stars"]) == (80, 4)
    async with db.transaction() as store:
        found = await store.assessments.of_product(pid)
        assert found is not None and (found.score, found.stars) == (80, 4)


async def test_before_the_criteria_are_loaded_the_menu_says_who_loads_them(chat: Chat) -> None:
    await chat.onboard()
    from tests.products.steps import register

    pid = await register(chat)
    await chat.say("/sanpham")
    await chat.press(f"p:{pid}")
    assert "chờ cán bộ tải bộ tiêu chí" in chat.text
    await chat.press("v:assess")
    assert chat.templates[0] == "assessment/not_loaded"
    assert "Cán bộ OCOP của tỉnh" in chat.text


async def test_the_product_shows_its_self_score_once_finished(
    chat: Chat, db: Database, tmp_path: Path
) -> None:
    await scored(chat, db, write_small(tmp_path / "small"), (2, 3, 3, 3, 1))
    await chat.press("r:product")
    assert chat.templates[-1] == "products/details"
    assert "Tự chấm điểm: 70 điểm, 3 sao" in chat.text
    await chat.press("v:assess")  # a finished self-assessment opens on its result
    assert chat.templates == ["assessment/result"]


async def test_the_data_export_lists_the_self_assessment(
    chat: Chat, db: Database, tmp_path: Path
) -> None:
    pid = await scored(chat, db, write_small(tmp_path / "small"), (2, 3, 3, 3, 1))
    await chat.say("/xoadulieu")
    sections = chat.last.replies[0].context["sections"]
    line = f"Mã hồ sơ {pid}: Kẹo dừa Tân Phú — bộ tiêu chí 26/2026, 5 câu trả lời, 70 điểm, 3 sao"
    assert ("assessment.section", [line]) in sections
    await chat.press("d:del")
    await chat.press("d:yes")
    async with db.transaction() as store:
        assert await store.assessments.of_product(pid) is None
