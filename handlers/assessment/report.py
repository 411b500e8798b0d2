"""Mẫu 02's scoring part as a Word document the producer prints and signs (python-docx)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from handlers.assessment.common import Scoring
from handlers.assessment.score import chosen_option, result_of
from handlers.engine.events import Document
from messages import Renderer
from messages.render import format_number
from storage import Store
from storage.criteria_models import SECTIONS

if TYPE_CHECKING:
    from docx.document import Document as Docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _table(doc: Docx, scoring: Scoring, label: Callable[..., str], locale: str) -> None:
    criteria, answers = scoring.criteria, scoring.answers

    def number(value: float) -> str:
        return format_number(value, locale)

    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, ("criterion", "chosen", "points", "max"),
                         strict=True):
        cell.text = label(f"report.col_{key}")
        cell.paragraphs[0].runs[0].bold = True
    for row in criteria.rows:
        cells = table.add_row().cells
        if not row.scored:
            title = (label("report.part", part=row.section, label=row.label)
                     if row.kind == "section" else f"{row.code}. {row.label}")
            cells[0].text = title
            cells[0].paragraphs[0].runs[0].bold = True
            cells[3].text = number(row.max_points)
            continue
        chosen = chosen_option(row, answers)
        cells[0].text = f"{row.code}. {row.label}"
        cells[1].text = chosen.label if chosen else label("report.unsure")
        cells[2].text = number(chosen.points if chosen else 0)
        cells[3].text = number(row.max_points)


async def report_document(store: Store, renderer: Renderer, locale: str, scoring: Scoring,
                          now: datetime) -> Document:
    """The self-assessment report (.docx): the criteria, chosen options, points and totals."""
    def label(key: str, **context: object) -> str:
        return renderer.label(locale, key, **context)

    criteria, product = scoring.criteria, scoring.product
    result = result_of(criteria, scoring.answers, await store.catalog.star_bands())
    producer = await store.users.producer(product.producer_id)
    from docx import Document as new_docx  # a heavy import, only when a report is written
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = new_docx()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(12)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(label("report.title")).bold = True
    sub = doc.add_paragraph(label("report.subtitle", version=criteria.version))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for key, value in (
        ("report.producer", producer.name if producer else ""),
        ("report.product", f"{product.name} ({label('report.dossier', id=product.id)})"),
        ("report.set", f"{criteria.set_no}. {criteria.title}"),
        ("report.date", renderer.format_date(now)),
    ):
        doc.add_paragraph(f"{label(key)}: {value}")
    _table(doc, scoring, label, locale)
    doc.add_paragraph()
    for part in SECTIONS:
        doc.add_paragraph(label("report.part_total", part=part,
                                points=format_number(result.parts[part], locale),
                                max=format_number(criteria.maximum(part), locale)))
    total = doc.add_paragraph()
    total.add_run(label("report.total", points=format_number(result.total, locale))).bold = True
    doc.add_paragraph(label("report.stars", stars=result.stars) if result.certified
                      else label("report.not_certified"))
    if result.unsure or result.unanswered:
        codes = ", ".join(f"{r.code}." for r in (*result.unsure, *result.unanswered))
        doc.add_paragraph(label("report.unsure_list", codes=codes))
    sign = doc.add_paragraph(label("report.sign_place"))
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    who = doc.add_paragraph()
    who.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    who.add_run(label("report.sign")).bold = True
    doc.add_paragraph(label("report.sign_hint")).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    filename = f"mau02-tu-danh-gia-{product.id}.docx"
    return Document(filename=filename, content=out.getvalue(), mime=DOCX)
