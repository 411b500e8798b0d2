"""The Mẫu 02 report (.docx) and the officers' sheet hold the criteria, answers and totals."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as read_docx
from openpyxl import load_workbook

from handlers.assessment.common import scoring_for
from handlers.assessment.sheet import assessment_sheet
from storage import Database
from tests.assessment.criteria_files import write_small
from tests.assessment.steps import scored
from tests.chat import Chat


async def _scored(chat: Chat, db: Database, tmp_path: Path) -> int:
    # 10 + 20 + 25 + 15 + 0 = 70
    pid = await scored(chat, db, write_small(tmp_path / "small"), (2, 3, 3, 3, 1))
    await chat.press("r:edit:A")
    await chat.press("c:A:1.2")
    await chat.say("chưa rõ")  # 1.2 becomes "chưa rõ": 50 points
    return pid


async def test_the_report_is_sent_in_chat_with_the_scoring_part(
    chat: Chat, db: Database, tmp_path: Path
) -> None:
    pid = await _scored(chat, db, tmp_path)
    await chat.press("r:report")  # its time is printed by bench.criteria
    sent = chat.last.replies[0]
    assert sent.template == "assessment/report_sent" and sent.document is not None
    assert sent.document.filename == f"mau02-tu-danh-gia-{pid}.docx"
    doc = read_docx(io.BytesIO(sent.document.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO TỰ ĐÁNH GIÁ VỀ SẢN PHẨM" in text and "26/2026/QĐ-TTg" in text
    assert "HTX Tân Phú" in text and "Kẹo dừa Tân Phú" in text
    assert "Ngày tự chấm điểm: 01/12/2026" in text
    assert "Tổng điểm tự chấm: 50/100" in text and "Hạng sao có thể đạt: 3 sao" in text
    assert "Tiêu chí chưa rõ hoặc chưa trả lời (tính 0 điểm): 1.2." in text
    assert "ĐẠI DIỆN CHỦ THỂ" in text
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0] == ["Tiêu chí", "Mức đã chọn", "Điểm", "Tối đa"]
    assert ["1.1. Nguồn gốc nguyên liệu", "Nguyên liệu trong xã từ 50% đến dưới 75%", "10",
            "20"] in cells
    assert ["1.2. Sở hữu trí tuệ", "Chưa rõ", "0", "20"] in cells
    assert chat.templates[-1] == "assessment/result"  # the result stays on screen


async def test_the_officers_sheet_has_one_row_per_criterion(
    chat: Chat, db: Database, tmp_path: Path
) -> None:
    pid = await _scored(chat, db, tmp_path)
    async with db.transaction() as store:
        product = await store.products.get(pid)
        assert product is not None
        scoring = await scoring_for(store, product)
        assert scoring is not None
        document = await assessment_sheet(store, chat.renderer, "vi", scoring)
    sheet = load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2][:3] == ["Phần", "Mã tiêu chí", "Tiêu chí"]
    assert ["A", "1.2", "Sở hữu trí tuệ", "Chưa rõ", 0, 20] in rows
    assert rows[-1][4:] == [50, 100]
