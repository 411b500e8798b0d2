"""A product's self-assessment as a spreadsheet for officers (the same content as Mẫu 02)."""

from __future__ import annotations

import io

from handlers.assessment.common import Scoring
from handlers.assessment.score import chosen_option, result_of
from handlers.engine.events import Document
from messages import Renderer
from messages.render import format_number
from messages.sheets import append_row, new_sheet
from storage import Store
from storage.criteria_models import SECTIONS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("col_part", "col_code", "col_criterion", "col_chosen", "col_points", "col_max")


async def assessment_sheet(store: Store, renderer: Renderer, locale: str,
                           scoring: Scoring) -> Document:
    """One row per criterion (part, code, criterion, chosen option, points, maximum), totals."""
    def label(key: str, **context: object) -> str:
        return renderer.label(locale, key, **context)

    criteria, answers = scoring.criteria, scoring.answers
    result = result_of(criteria, answers, await store.catalog.star_bands())
    from openpyxl.styles import Font

    book, sheet = new_sheet(label("report.sheet_title"))
    append_row(sheet, [label("report.product"), scoring.product.name,
                       label("report.dossier", id=scoring.product.id)])
    append_row(sheet, [label("report.set"), f"{criteria.set_no}. {criteria.title}",
                       criteria.version])
    append_row(sheet, [label(f"report.{column}") for column in COLUMNS])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in criteria.scored:
        chosen = chosen_option(row, answers)
        append_row(sheet, [row.section, row.code, row.label,
                           chosen.label if chosen else label("report.unsure"),
                           chosen.points if chosen else 0, row.max_points])
    for part in SECTIONS:
        append_row(sheet, [part, "", label("report.part", part=part, label=""), "",
                           result.parts[part], criteria.maximum(part)])
    total = format_number(result.total, locale)
    append_row(sheet, ["", "", label("report.total", points=total), "",
                       result.total, criteria.maximum()])
    sheet.column_dimensions["C"].width = 60
    sheet.column_dimensions["D"].width = 60
    out = io.BytesIO()
    book.save(out)
    return Document(filename=f"tu-cham-diem-{scoring.product.id}.xlsx", content=out.getvalue(),
                    mime=XLSX)
