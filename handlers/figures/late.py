"""Dossiers at the communes, per commune: how many wait for the commune's check and how many
are past its working days (26/2026/QĐ-TTg: 15 working days), for `/thongke` and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.common.working_days import days_off, working_days_since
from messages import Renderer
from messages.sheets import append_row
from storage import Store

if TYPE_CHECKING:  # openpyxl is heavy: loaded when the report is written
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SHOWN = 5  # communes listed on the chat screen; the report has every one
DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class CommuneBacklog:
    """One commune's dossiers waiting for its check."""

    commune: str
    waiting: int
    late: int
    oldest: datetime  # when the longest-waiting dossier reached the commune
    oldest_due: date  # and the last day of its check


async def commune_backlog(store: Store, province: str | None, today: date,
                          zone: ZoneInfo) -> list[CommuneBacklog]:
    """Each commune with dossiers at it (of a province; None: every one), the most late first."""
    reviews = await store.communes.open_reviews(province)
    if not reviews:
        return []
    limit = await store.rules.number("commune_working_days")
    first = min(review.received_at.astimezone(zone).date() for review in reviews)
    off = await days_off(store, first, today)
    found: dict[tuple[str, str], CommuneBacklog] = {}
    for review in reviews:  # the oldest first
        passed = working_days_since(review.received_at.astimezone(zone).date(), today, off)
        key = (review.province_code, review.commune_key)
        seen = found.get(key)
        found[key] = CommuneBacklog(
            commune=seen.commune if seen else review.commune,
            waiting=(seen.waiting if seen else 0) + 1,
            late=(seen.late if seen else 0) + (passed >= limit),
            oldest=seen.oldest if seen else review.received_at,
            oldest_due=seen.oldest_due if seen else review.due_on)
    return sorted(found.values(), key=lambda c: (-c.late, -c.waiting, c.commune))


def late_lines(backlog: list[CommuneBacklog]) -> list[dict[str, object]]:
    """The communes with late dossiers, as the chat screen lists them (the first few)."""
    return [{"commune": c.commune, "late": c.late, "waiting": c.waiting}
            for c in backlog if c.late][:SHOWN]


def backlog_sheet(book: Workbook, renderer: Renderer, locale: str, zone: ZoneInfo,
                  backlog: list[CommuneBacklog]) -> Worksheet:
    """The report's sheet of dossiers at the communes: one line per commune, dates dd/mm/yyyy."""
    from openpyxl.styles import Font

    label = renderer.label
    sheet = book.create_sheet(label(locale, "figures_sheet.at_communes"))
    append_row(sheet, [label(locale, f"figures_sheet.col_{c}") for c in
                       ("commune", "at_commune", "late", "oldest", "oldest_due")])
    for c in backlog:
        append_row(sheet, [c.commune, c.waiting, c.late,
                           c.oldest.astimezone(zone).date(), c.oldest_due])
        for cell in sheet[sheet.max_row][3:]:
            cell.number_format = DATE_FORMAT
    if not backlog:
        append_row(sheet, [label(locale, "figures_sheet.no_dossier_at_communes")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDE", (34, 16, 10, 22, 22), strict=True):
        sheet.column_dimensions[column].width = width
    return sheet
