"""The refused rows of a list, as written, with a reason column: the officer fixes them in
this file and imports it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.cli.certified_read import Table
from handlers.claims.importing import Plan, Reason
from messages import Format, Renderer
from messages.sheets import append_row, new_sheet


def reason_text(renderer: Renderer, lang: str, code: str, details: dict[str, Any]) -> str:
    """One reason a row is refused (or warned about), in the officer's language."""
    shown = {k: v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v
             for k, v in details.items()}
    return renderer.render(lang, f"certified_reason/{code}", Format.PLAIN, **shown).strip()


def reasons_text(renderer: Renderer, lang: str, reasons: list[Reason]) -> str:
    """All the reasons of one row, joined."""
    return "; ".join(reason_text(renderer, lang, code, details) for code, details in reasons)


def refused_path(source: Path) -> Path:
    """Where the refused rows of a file go by default: next to it."""
    return source.with_name(f"{source.stem}-tu-choi.xlsx")


def write_refused(
    path: Path, table: Table, plan: Plan, renderer: Renderer, lang: str
) -> int:
    """Write the header as the list wrote it, then each refused row and its reasons."""

    book, sheet = new_sheet(table.layout.sheet[:31] or "1")
    width = len(table.layout.headers)
    append_row(sheet, [*table.layout.headers, renderer.label(lang, "export_column.reason")])
    by_number = {row.number: row for row in table.rows}
    for number, reasons in plan.refused:
        raw = list(by_number[number].raw)[:width]
        append_row(sheet, [*raw, *[None] * (width - len(raw)),
                           reasons_text(renderer, lang, reasons)])
    sheet.freeze_panes = "A2"
    book.save(path)
    return len(plan.refused)
