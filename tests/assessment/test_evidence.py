"""Evidence: a criterion names its proof and opens the dossier item; the dossier leads back.

Also: several products are picked from a list, and a self-assessment keeps its criteria
version when a newer one is loaded.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from handlers.assessment.evidence import evidence_row_of, item_code_of
from storage import Database
from storage.criteria_files import parse_criteria, read_folder
from tests.assessment.criteria_files import write_small
from tests.assessment.steps import load, open_assessment, product_for, scored
from tests.chat import Chat
from tests.products.steps import register


async def test_a_criterion_names_its_proof_and_opens_the_dossier_item(
    chat: Chat, db: Database, tmp_path: Path
) -> None:
    await load(db, write_small(tmp_path / "small"))
    pid = await product_for(chat)
    await open_assessment(chat, pid)
    await chat.say("3")  # 1.1 → 1.2 "Sở hữu trí tuệ": the trademark certificate
    context = chat.last.replies[-1].context
    assert context["code"] == "1.2" and "Giấy chứng nhận đăng ký nhãn hiệu" in context["evidence"]
    assert context["item"] == "Nhãn hiệu hoặc chỉ dẫn địa lý"
    await chat.press("o:proof")
    assert chat.templates == ["dossier/item"]
    await chat.photo("trademark-scan")
    assert chat.templates[:2] == ["dossier/marked", "dossier/checklist"]
    await chat.press("i:back")  # the checklist leads back to the self-assessment, where it was
    assert chat.templates[-1] == "assessment/criterion"
    assert chat.last.replies[-1].context["code"] == "1.2"
    for n in ("3", "3", "3", "2"):
        await chat.say(n)
    proofs = {p["name"]: p["ready"] for p in chat.last.replies[-1].context["proofs"]}
    assert proofs["Nhãn hiệu hoặc chỉ dẫn địa lý"] is True
    assert proofs["Câu chuyện sản phẩm"] is False
    assert "⬜ Câu chuyện sản phẩm — tiêu chí 2." in chat.text


async def test_the_dossier_item_of_the_report_opens_the_self_assessment(
    chat: Chat, db: Database, tmp_path: Path
) -> None:
    await load(db, write_small(tmp_path / "small"))
    pid = await product_for(chat)
    await chat.say("/sanpham")
    await chat.press(f"p:{pid}")
    await chat.press("v:chk")
    await chat.press("i:self_assess")
    assert "m:assess" in chat.keys
    await chat.press("m:assess")
    assert chat.templates[-2:] == ["assessment/intro", "assessment/criterion"]


async def test_with_several_products_the_producer_picks_one(
    chat: Chat, db: Database, tmp_path: Path
) -> None:
    await load(db, write_small(tmp_path / "small"))
    first = await product_for(chat)
    second = await register(chat, name="Bánh tráng Tân Phú")
    await chat.say("tự chấm điểm")
    assert chat.templates == ["assessment/pick_product"]
    assert chat.keys[:2] == [f"p:{second}", f"p:{first}"]  # the newest first
    await chat.say("2")
    assert chat.last.replies[-1].context["product"] == "Kẹo dừa Tân Phú"


async def test_a_self_assessment_keeps_the_version_it_was_made_with(
    chat: Chat, db: Database, tmp_path: Path
) -> None:
    pid = await scored(chat, db, write_small(tmp_path / "small"), (3, 3, 3, 3, 2))
    newer = write_small(tmp_path / "newer")
    options = newer / "qd26-2026-options.csv"
    options.write_text(options.read_text("utf-8").replace(
        "Có Giấy chứng nhận đăng ký nhãn hiệu", "Có văn bằng bảo hộ"), encoding="utf-8")
    async with db.transaction() as store:
        bundle = parse_criteria(read_folder(newer), version="27/2027")
        await store.criteria.load(bundle, "test", datetime.now(UTC))
    await chat.say("chấm điểm")
    assert chat.templates == ["assessment/result"]
    assert chat.last.replies[-1].context["version"] == "26/2026"
    assert chat.last.replies[-1].context["total"] == 100
    await chat.press("r:renew")  # the producer scores again with the newer criteria
    assert chat.templates[-2:] == ["assessment/intro", "assessment/criterion"]
    async with db.transaction() as store:
        found = await store.assessments.of_product(pid)
        assert found is not None and found.version == "27/2027"
        assert await store.assessments.answers(found.id) == {}


def test_the_evidence_guide_rows_of_typical_criteria() -> None:
    cases = {
        ("Nguồn nguyên liệu", "TỔ CHỨC SẢN XUẤT"): (3, "raw_origin"),
        ("Vùng nguyên liệu được cấp chứng nhận chất lượng", ""): (14, "quality_certs"),
        ("Sở hữu trí tuệ", "SỨC MẠNH CỘNG ĐỒNG"): (7, "trademark"),
        ("Màu sắc", "CHỈ TIÊU CẢM QUAN"): (None, None),  # the council judges the samples
        ("Liên kết chuỗi giá trị trong quảng bá sản phẩm du lịch", "TIẾP THỊ"): (9, "market"),
        ("ĐẢM BẢO CHẤT LƯỢNG SẢN PHẨM", ""): (14, "quality_certs"),
        ("Kiến trúc và cảnh quan môi trường", ""): (None, None),
    }
    for (label, heading), (row, item) in cases.items():
        found = evidence_row_of(label, heading)
        assert found == row, label
        assert (item_code_of(found) if found else None) == item, label
