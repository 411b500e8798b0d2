"""The products spreadsheet an officer downloads (CLI export and the console's xlsx button)."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from messages import Renderer
from messages.render import phone_display
from messages.sheets import append_row
from storage import Store

EXPORT_COLUMNS = (
    "id",
    "product",
    "status",
    "stars",
    "expires_on",
    "dossier",
    "group",
    "set",
    "application",
    "submitted_at",
    "producer",
    "contact_person",
    "phone",
    "commune",
    "province",
)


def export_row(
    renderer: Renderer, row: dict[str, Any], total: int, names: dict[str, str]
) -> list[Any]:
    """One product as a row of the spreadsheet."""
    return [
        row["id"],
        row["name"],
        renderer.label("vi", f"product_status.{row['status']}"),
        row["stars"] or "",
        row["expires_on"] or "",
        f"{row['marked']}/{total}",
        names.get(row["group_code"] or "", ""),
        names.get(row["set_code"] or "", ""),
        renderer.label("vi", f"product_kind.{row['application']}") if row["application"] else "",
        row["submitted_at"] or "",
        row["producer"],
        row["contact_person"],
        phone_display(row["phone"]),
        row["commune"],
        row["province_code"],
    ]


async def products_workbook(
    store: Store, renderer: Renderer, rows: list[dict[str, Any]]
) -> Workbook:
    """A workbook of these products (rows of `ProductsRepo.export_rows`)."""
    names = {g.code: g.name_vi for g in await store.catalog.groups()}
    names |= {s.code: s.name_vi for s in await store.catalog.sets()}
    totals = {
        g: len([i for i in await store.catalog.dossier_items(g) if not i.optional])
        for g in {r["group_code"] for r in rows}
    }
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "products"
    append_row(sheet, EXPORT_COLUMNS)
    for row in rows:
        append_row(sheet, export_row(renderer, row, totals[row["group_code"]], names))
    return book
