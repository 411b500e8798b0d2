"""The monthly report workbook: a summary sheet, one sheet per breakdown, native charts."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from handlers.common.places import commune_label
from handlers.engine.events import Document
from handlers.figures.common import (
    YEARS_SHOWN,
    group_names,
    place_name,
    summary_context,
    summary_of,
)
from handlers.figures.late import backlog_sheet, commune_backlog
from messages import Renderer
from messages.sheets import append_row
from storage import Store
from storage.figure_models import PIPELINE_STATUSES, Row, Scope, Summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
SUMMARY_LINES = ("in_force", "in3", "in4", "in5", "new", "new3", "new4", "new5", "target",
                 "gap", "expiring", "expiring_on_bot", "producers", "claimed", "unclaimed",
                 "active", "open_rounds", "round_entries", "trainings", "enrolled", "waiting",
                 "attended")
ROW_COLUMNS = ("name", "in_force", "in3", "in4", "in5", "new", "pipeline", "expiring",
               "producers")
CHART_ROWS = 15  # lines of a breakdown drawn in its chart
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _bold_header(sheet: Worksheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 34


def _row_values(name: str, row: Row) -> list[object]:
    return [name, row.in_force.total, row.in_force.three, row.in_force.four, row.in_force.five,
            row.new_this_year, row.pipeline, row.expiring, row.producers]


def _thousands(book: Workbook, years: tuple[Any, ...]) -> None:
    """Counts shown with the thousands separator of the reader's Excel (1.234 in Vietnamese);
    years stay as they are written."""
    skip = {id(cell) for cell in years}
    for part in book.worksheets:
        for row in part.iter_rows():
            for cell in row:
                if type(cell.value) is int and id(cell) not in skip:
                    cell.number_format = "#,##0"


def _bar_chart(sheet: Worksheet, title: str, rows: int, anchor: str) -> None:
    """A native bar chart of the sheet's 'in force' by star columns (C:E), stacked."""
    if rows == 0:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = title
    last = 1 + min(rows, CHART_ROWS)
    chart.add_data(Reference(sheet, min_col=3, max_col=5, min_row=1, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = 9 + min(rows, CHART_ROWS) * 0.4, 16
    sheet.add_chart(chart, anchor)


def _summary_sheet(book: Workbook, renderer: Renderer, locale: str, place: str,
                   summary: Summary) -> Worksheet:
    """The figures of the screen, one per line, under the place, the year and the date."""
    label = renderer.label
    sheet = book.active
    assert sheet is not None
    sheet.title = label(locale, "figures_sheet.summary")
    append_row(sheet, [label(locale, f"figures_sheet.{c}") for c in ("figure", "value")])
    append_row(sheet, [label(locale, "figures_sheet.place"), place])
    append_row(sheet, [label(locale, "figures_sheet.year"), summary.year])
    append_row(sheet, [label(locale, "figures_sheet.as_of"), summary.today])
    sheet.cell(row=sheet.max_row, column=2).number_format = DATE_FORMAT
    context = summary_context(summary)
    for name in SUMMARY_LINES:
        append_row(sheet, [label(locale, f"figures_sheet.{name}"), context[name]])
    for status in PIPELINE_STATUSES:
        status_name = label(locale, f"product_status.{status}")
        append_row(sheet, [label(locale, "figures_sheet.pipeline", status=status_name),
                           summary.pipeline[status]])
    _bold_header(sheet)
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 16
    return sheet


def _years_chart(years_sheet: Worksheet, title: str, count: int, *, target: bool) -> BarChart:
    """Newly certified products by year, stacked by stars, with the target as a line."""
    chart = BarChart()
    chart.grouping, chart.overlap = "stacked", 100
    chart.title = title
    chart.add_data(Reference(years_sheet, min_col=2, max_col=4, min_row=1, max_row=count + 1),
                   titles_from_data=True)
    chart.set_categories(Reference(years_sheet, min_col=1, min_row=2, max_row=count + 1))
    if target:
        line = LineChart()
        line.add_data(Reference(years_sheet, min_col=6, min_row=1, max_row=count + 1),
                      titles_from_data=True)
        chart += line
    return chart


async def report_file(
    store: Store, renderer: Renderer, locale: str, province: str | None, year: int, today: date,
    zone: ZoneInfo = VIETNAM,
) -> Document:
    """The report of a province (None: the country) for a year, as of `today`, as .xlsx."""
    label = renderer.label
    scope = Scope(province=province)
    summary = await summary_of(store, scope, year, today)
    place = await place_name(store, renderer, locale, province)
    book = Workbook()
    sheet = _summary_sheet(book, renderer, locale, place, summary)

    years_sheet = book.create_sheet(label(locale, "figures_sheet.by_year"))
    append_row(years_sheet, [label(locale, f"figures_sheet.col_{c}")
                             for c in ("year", "in3", "in4", "in5", "new", "target")])
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    targets = await store.targets.by_year(province, years)
    for count in await store.figures.by_year(scope, years, targets):
        append_row(years_sheet, [count.year, count.new.three, count.new.four, count.new.five,
                                 count.new.total, count.target])
    _bold_header(years_sheet)
    title = label(locale, "figures.chart_years")
    # A chart lives on one sheet: the summary gets its own copy.
    years_sheet.add_chart(_years_chart(years_sheet, title, len(years), target=True), "H2")
    sheet.add_chart(_years_chart(years_sheet, title, len(years), target=bool(targets)), "D2")

    names = await group_names(store, locale)
    provinces = {p.code: p.name for p in await store.reference.provinces()}
    none = label(locale, "figures.none")
    dims = ("province", "group") if province is None else ("commune", "group", "former")
    for dim in dims:
        part = book.create_sheet(label(locale, f"figures_sheet.by_{dim}"))
        append_row(part, [label(locale, f"figures_sheet.col_{c}") for c in ROW_COLUMNS])
        rows = await store.figures.breakdown(scope, year, today, dim)
        lookup = names if dim == "group" else provinces if dim == "province" else {
            row.key: commune_label(renderer, locale, row.key) for row in rows
        } if dim == "commune" else {}
        for row in rows:
            append_row(part, _row_values(lookup.get(row.key, row.key) or none, row))
        _bold_header(part)
        _bar_chart(part, label(locale, f"figures.title_{dim}"), len(rows), "K2")  # no emoji

    backlog_sheet(book, renderer, locale, zone,
                  await commune_backlog(store, province, today, zone))
    _thousands(book, years=(sheet.cell(row=3, column=2), *years_sheet["A"]))
    buffer = io.BytesIO()
    book.save(buffer)
    filename = f"bao-cao-ocop-{(province or 'ca-nuoc').lower()}-{year}-{today:%m}.xlsx"
    return Document(filename=filename, content=buffer.getvalue(), mime=XLSX)
