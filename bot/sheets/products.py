"""The officers' product spreadsheet: Vietnamese headers, real date cells, claimed or not.

One layout for `ocop-bot export products` and the console's "Tải về tệp Excel" button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from handlers.claims import values
from handlers.common.rules import decision_in_force
from handlers.common.standing import standing_label
from messages import Renderer
from messages.render import phone_display
from messages.sheets import append_row, new_sheet
from storage import Store
from storage.places import written_apart
from storage.timefmt import from_db

if TYPE_CHECKING:
    from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    ("id", 10), ("province", 16), ("former_province", 14), ("commune", 18), ("commune_typed", 22),
    ("producer", 34),
    ("entity_type", 18), ("contact", 20), ("phone", 13), ("claimed", 12), ("product", 40),
    ("status", 18), ("procedure", 30), ("product_set", 30), ("stars", 8), ("score", 8),
    ("decision_number", 18),
    ("decision_date", 14), ("certificate_number", 18), ("authority", 22), ("expires_on", 14),
    ("state", 14), ("product_code", 20),
)
DATE_COLUMNS = ("decision_date", "expires_on")
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class InForce:
    """The decision a dossier sent from `since` (UTC) follows; one sent before, the old rules
    (the transition)."""

    decision: str
    since: datetime


async def rules_in_force(store: Store, zone: ZoneInfo) -> InForce:
    """The decision in force and the moment it took effect where the officers are."""
    day = await store.rules.day("in_force_from")
    return InForce(await decision_in_force(store),
                   datetime(day.year, day.month, day.day, tzinfo=zone))


def _procedure(renderer: Renderer, row: dict[str, Any], rules: InForce | None) -> str:
    """Which rules a dossier sent in the bot follows; empty for one never sent (an import)."""
    if rules is None or not row.get("submitted_at"):
        return ""
    if from_db(row["submitted_at"]) < rules.since:
        return renderer.label("vi", "export_value.old_rules")
    return renderer.label("vi", "export_value.new_rules", decision=rules.decision)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _state(renderer: Renderer, row: dict[str, Any], expires: date | None, today: date) -> str:
    if row["revoked"]:
        return renderer.label("vi", "export_value.revoked", number=row["revoked"],
                              date=date.fromisoformat(row["revoked_on"]).strftime("%d/%m/%Y"))
    if expires is None:
        return renderer.label("vi", "export_value.unknown")
    if expires < today:
        return renderer.label("vi", "export_value.expired", date=expires.strftime("%d/%m/%Y"))
    return renderer.label("vi", "export_value.valid")


def _row(renderer: Renderer, row: dict[str, Any], names: dict[str, str], today: date,
         rules: InForce | None) -> list[Any]:
    expires = _day(row["expires_on"])
    authority = row["authority_text"] or (
        renderer.label("vi", f"export_value.{row['authority']}") if row["authority"] else ""
    )
    if not authority and row["stars"]:  # a result recorded in the bot: 5★ is the ministry's
        authority = renderer.label(
            "vi", "export_value.ministry" if row["stars"] == 5 else "export_value.province")
    return [
        row["id"], names.get(f"p:{row['province_code']}", row["province_code"]),
        row["former_province"] or "", row["commune"],
        written_apart(row["commune"], row["commune_typed"]), row["producer"],
        names.get(f"e:{row['entity_type']}", "") if row["entity_known"] else "",
        row["contact_person"], phone_display(row["phone"]) if row["phone"] else "",
        renderer.label("vi", "export_value.yes" if row["claimed"] else "export_value.no"),
        row["name"], standing_label(renderer, "vi", row["status"], expires, today,
                                    bool(row["revoked"])),
        _procedure(renderer, row, rules), names.get(f"s:{row['set_code']}", ""),
        row["stars"] or row["current_stars"] or "",
        row["score"] if row["score"] is not None and row["score_known"] != 0 else "",
        row["decision_number"] or "",
        _day(row["decision_date"]) or str(row["decision_year"] or ""),  # a year alone as text
        row["certificate_number"] or "", authority, expires,
        _state(renderer, row, expires, today) if row["stars"] else "",
        row["product_code"] or "",
    ]


def headers(renderer: Renderer) -> list[str]:
    """The sheet's column headers, in Vietnamese."""
    return [renderer.label("vi", f"export_column.{key}") for key, _ in COLUMNS]


async def sheet_names(store: Store) -> dict[str, str]:
    """Province, entity type and product set names the sheet shows instead of codes."""
    names = {f"p:{p.code}": p.name for p in await store.reference.provinces()}
    names |= {f"e:{e.code}": e.name_vi for e in await store.reference.entity_types()}
    names |= {f"s:{s.code}": s.name_vi for s in await store.catalog.sets()}
    return names


def products_workbook(
    renderer: Renderer, rows: list[dict[str, Any]], names: dict[str, str], today: date,
    rules: InForce | None = None,
) -> Workbook:
    """The sheet of these products (rows of `ExistingRepo.export_rows`), sorted by province,
    commune, producer and product, with a frozen header and filters; with `rules`, which
    rules each dossier sent in the bot follows."""
    rows = sorted(rows, key=lambda r: (values.loose(names.get(f"p:{r['province_code']}", "")),
                                       values.loose(r["commune"]), values.loose(r["producer"]),
                                       values.loose(r["name"]), r["id"]))
    from openpyxl.utils import get_column_letter

    book, sheet = new_sheet(renderer.label("vi", "export_column.sheet"), headers(renderer))
    for row in rows:
        append_row(sheet, _row(renderer, row, names, today, rules))
    for index, (key, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if key in DATE_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    return book
