"""The glossary's rules in the documents the bot writes besides spreadsheets of lists: the
self-assessment sheet, the Mẫu 02 report (.docx, read back with python-docx) and the printed
invitations (PDF, read back with pypdfium2), with half points ("22,5") and thousands."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pypdfium2
from docx import Document as read_docx
from openpyxl import load_workbook

from bot.sheets.invitations import invitations_pdf
from handlers.assessment.common import Scoring
from handlers.assessment.report import report_document
from handlers.assessment.sheet import assessment_sheet
from handlers.claims.invitations import Invitation
from messages import Format, Renderer
from storage import Database
from storage.assessments import SelfAssessment
from storage.criteria_files import parse_criteria, read_folder
from storage.criteria_models import CriteriaSet, Criterion
from storage.product_models import Product, ProductStatus
from tests.assessment.criteria_files import write_small
from tests.messages.test_wording import _offences
from tests.messages.test_wording_surfaces import _sheet_offences
from tests.web.support import now

RENDERER = Renderer()
PID = 1_200  # a dossier's id in a crowded province: "mã hồ sơ 1200" is an id, not a count


def _half(row: Criterion) -> Criterion:
    """The product story's best option worth 22,5 points instead of 25."""
    if row.key != "B:2":
        return row
    return replace(row, options=tuple(replace(o, points=22.5) if o.no == 3 else o
                                      for o in row.options))


def _scoring(tmp_path: Path) -> Scoring:
    """A self-assessment of 97,5 points: every best option, the product story at 22,5."""
    bundle = parse_criteria(read_folder(write_small(tmp_path / "criteria")))
    criteria = next(s for s in bundle.sets if s.set_no == 7)
    criteria = CriteriaSet(version=criteria.version, set_no=7, slug=criteria.slug,
                           title=criteria.title, disqualification=criteria.disqualification,
                           star_legend=criteria.star_legend,
                           rows=tuple(_half(row) for row in criteria.rows))
    product = Product(id=PID, producer_id=1, name="Kẹo dừa Tân Phú", group_code="food",
                      set_code=None, application="first", current_stars=None,
                      current_certificate=None, description=None, raw_material=None,
                      origin=None, status=ProductStatus.DRAFT, created_at=now(),
                      updated_at=now(), submitted_at=None)
    assessment = SelfAssessment(id=1, product_id=PID, version=criteria.version, set_no=7,
                                position="", started_at=now(), updated_at=now(),
                                finished_at=None, score=None, stars=None)
    answers: dict[str, int | None] = {"A:1.1": 3, "A:1.2": 3, "B:2": 3, "C:3": 3, "C:4": 2}
    return Scoring(product=product, assessment=assessment, criteria=criteria, answers=answers)


def _without_ids(text: str) -> str:
    """The text without the ids it names on purpose (a dossier's or a producer's number)."""
    return re.sub(rf"(mã hồ sơ|chủ thể số) {PID}\b", r"\1 …", text)


def _bots_own(text: str, criteria: CriteriaSet) -> str:
    """The text without the decision's own words (criteria and options, quoted as enacted)
    nor the ids it names on purpose."""
    quoted = [o.label for row in criteria.rows for o in row.options]
    quoted += [row.label for row in criteria.rows]
    for words in sorted(quoted, key=len, reverse=True):
        text = text.replace(words, "…")
    return _without_ids(text)


async def test_the_self_assessment_sheet_and_report_keep_to_the_glossary(
    db: Database, tmp_path: Path
) -> None:
    scoring = _scoring(tmp_path)
    async with db.reading() as store:
        sheet = await assessment_sheet(store, RENDERER, "vi", scoring)
        report = await report_document(store, RENDERER, "vi", scoring, now())
        english = await report_document(store, RENDERER, "en", scoring, now())
    book = load_workbook(io.BytesIO(sheet.content))
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = _bots_own(cell.value, scoring.criteria)
    assert not _sheet_offences(book)
    texts = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert "Tổng điểm tự chấm: 97,5/100" in texts
    doc = read_docx(io.BytesIO(report.content))
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    text = "\n".join([p.text for p in doc.paragraphs] + cells)
    assert not _offences("vi", _bots_own(text, scoring.criteria), Format.PLAIN)
    assert "Tổng điểm tự chấm: 97,5/100" in text and "Phần B: 22,5/22,5 điểm" in text
    assert "22,5" in cells
    assert re.search(r"\d\d/\d\d/\d{4}", text)  # the day of the report, as officers write it
    english_cells = [c.text for t in read_docx(io.BytesIO(english.content)).tables
                     for row in t.rows for c in row.cells]
    assert "22.5" in english_cells and "22,5" not in english_cells  # each language its own way


def _pdf_text(content: bytes) -> str:
    """The text of every page of a PDF, as a reader copies it."""
    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_the_printed_invitations_keep_to_the_glossary() -> None:
    products = tuple(f"Sản phẩm số {n + 1}" for n in range(1_012))
    item = Invitation(producer_id=PID, name="HTX Tân Phú", province="Vĩnh Long",
                      products=products, code="482109375512",
                      link="https://t.me/tro_ly_ocop_bot?start=c-482109375512",
                      until=date(2027, 1, 31))
    text = _pdf_text(invitations_pdf(RENDERER, "vi", [item], date.today() + timedelta(1)))
    text = re.sub(r"Sản phẩm số \d+", "Sản phẩm …", text)  # the sample's own names
    assert not _offences("vi", _without_ids(text), Format.PLAIN), text
    assert "1.000 sản phẩm khác" in text
    assert "31/01/2027" in text and "Mã xác nhận: 4821 0937 5512" in text
