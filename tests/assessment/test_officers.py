"""Officers see the self-assessment: in the dossier they receive, beside the council's score."""

from __future__ import annotations

from pathlib import Path

from storage import Database
from tests.assessment.criteria_files import write_small
from tests.assessment.steps import load, open_assessment
from tests.chat import ChatFor
from tests.engines import BOTH_ENGINES
from tests.products.steps import make_officer, register

pytestmark = BOTH_ENGINES  # these conversations run on SQLite and on PostgreSQL


async def test_the_dossier_and_the_result_show_the_self_score(
    chat_for: ChatFor, db: Database, tmp_path: Path
) -> None:
    await load(db, write_small(tmp_path / "small"))
    producer, officer = chat_for("701"), chat_for("702")
    await producer.onboard()
    pid = await register(producer)
    await producer.press("sm:ok")  # submitted
    await open_assessment(producer, pid)
    for n in (2, 3, 3, 3, 1):  # 70 points, 1.1 under its 4★ minimum: 3 stars
        await producer.say(str(n))
    await make_officer(db, officer, "VL")

    await officer.say("/duyet")
    await officer.press(f"r:{pid}")
    assert officer.templates[-1] == "review/open"
    assert officer.last.replies[-1].context["self_score"]["stars"] == 3
    assert "Tự chấm điểm (Quyết định 26/2026/QĐ-TTg): 70/100 điểm, có thể đạt 3 sao" in (
        officer.text)
    assert "Yêu cầu tối thiểu chưa đạt: 1.1. Nguồn gốc nguyên liệu (4 sao)" in officer.text
    await officer.press("ra:ok")

    await officer.press("rq:res")
    await officer.press(f"x:{pid}")
    await officer.say("72,5")
    await officer.say("1234/QĐ-UBND")
    await officer.say("15/11/2026")
    await officer.say("OCOP-VL-2026-001")
    assert officer.templates == ["results/confirm"]
    assert ("chủ thể tự chấm 70 điểm (3 sao) — Hội đồng đánh giá 72,5 điểm (4 sao); "
            "chênh lệch +2,5 điểm") in officer.text


async def test_a_dossier_without_a_self_assessment_says_so(
    chat_for: ChatFor, db: Database
) -> None:
    producer, officer = chat_for("711"), chat_for("712")
    await producer.onboard()
    pid = await register(producer)
    await producer.press("sm:ok")
    await make_officer(db, officer, "VL")
    await officer.say("/duyet")
    await officer.press(f"r:{pid}")
    assert "Chủ thể chưa tự chấm điểm sản phẩm này" in officer.text


async def test_the_figures_list_products_close_to_the_next_star(
    chat_for: ChatFor, db: Database, tmp_path: Path
) -> None:
    await load(db, write_small(tmp_path / "small"))
    officer = chat_for("721")
    scores = {"731": (2, 3, 3, 3, 1),  # 70 points but 3★: a minimum keeps it down
              "732": (2, 2, 3, 3, 1),  # 60: 10 under 4★, not close
              "733": (3, 2, 3, 2, 1)}  # 20 + 10 + 25 + 10 + 0 = 65: 5 under 4★, close
    names = {}
    for user, picks in scores.items():
        producer = chat_for(user)
        await producer.onboard(name=f"HTX {user}")
        pid = await register(producer, name=f"Sản phẩm {user}")
        names[user] = pid
        await open_assessment(producer, pid)
        for n in picks:
            await producer.say(str(n))
        assert producer.templates[-1] == "assessment/result"
    await make_officer(db, officer, "VL")
    await officer.say("/thongke")
    await officer.press("f:coach")
    assert officer.templates[0] == "assessment/coaching"
    rows = officer.last.replies[0].context["rows"]
    assert [(r["name"], r["score"], r["capped"]) for r in rows] == [
        ("Sản phẩm 731", 70, True), ("Sản phẩm 733", 65, False)]
    assert "chỉ 3 sao vì còn yêu cầu tối thiểu chưa đạt" in officer.text
