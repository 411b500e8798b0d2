"""A broadcast's recipients as a spreadsheet: who received it, who did not, and why."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from messages import Renderer
from messages.sheets import append_row, new_sheet
from storage.timefmt import from_db

if TYPE_CHECKING:
    from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARTS = {"sent": "delivered", "dead": "blocked", "retry": "retrying", "pending": "waiting",
         "sending": "waiting", "failed": "failed", "cancelled": "cancelled"}
COLUMNS = ("producer", "commune", "channel", "outcome", "why", "sent_at")


def outcome_of(row: dict[str, Any]) -> tuple[str, str]:
    """(outcome, reason key) of one recipient's outbox row."""
    part = PARTS.get(str(row["status"]), "waiting")
    error = str(row.get("last_error") or "")
    if part == "failed":
        return part, "expired" if error.startswith("expired:") else "refused"
    return part, part


def recipient(renderer: Renderer, locale: str, row: dict[str, Any]) -> dict[str, Any]:
    """One recipient as the report shows it, every word in the officer's language."""
    part, why = outcome_of(row)
    sent = from_db(row["sent_at"]) if row.get("sent_at") else None
    return {
        "producer": row.get("producer") or renderer.label(locale, "web.broadcasts.no_profile"),
        "commune": row.get("commune") or "",
        "channel": renderer.label(locale, f"linking.channel_{row['channel']}"),
        "outcome": part,
        "outcome_name": renderer.label(locale, f"web.broadcasts.outcome_{part}"),
        "why": renderer.label(locale, f"web.broadcasts.why_{why}"),
        "sent_at": sent,
    }


def recipients_workbook(renderer: Renderer, locale: str, people: list[dict[str, Any]]) -> Workbook:
    """The recipients' sheet: header frozen, filters on, the time as a date cell."""

    book, sheet = new_sheet(renderer.label(locale, "web.broadcasts.sheet"),
                            [renderer.label(locale, f"web.broadcasts.col_{c}") for c in COLUMNS])
    for person in people:
        sent: datetime | None = person["sent_at"]
        local = sent.astimezone(renderer.zone).replace(tzinfo=None) if sent else None
        append_row(sheet, [person["producer"], person["commune"], person["channel"],
                           person["outcome_name"], person["why"], local])
        if local is not None:
            sheet.cell(sheet.max_row, len(COLUMNS)).number_format = "hh:mm dd/mm/yyyy"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, width in zip("ABCDEF", (32, 20, 12, 22, 44, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    return book
