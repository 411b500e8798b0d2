"""`ocop-bot export products`: the officers' product spreadsheet of a province, or of all."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.sheets.products import products_workbook, rules_in_force, sheet_names
from handlers.claims import values
from messages import Renderer
from storage import open_database


async def write_export(
    settings: Settings, renderer: Renderer, province: str | None, path: Path
) -> tuple[int, str | None, str] | None:
    """Write the spreadsheet; (rows, former province filtered on, province name), or None
    when --province names no province."""
    today = date.today()
    async with open_database(settings.database) as db, db.reading() as store:
        provinces = await store.reference.provinces()
        code, former = None, None
        if province:
            found = values.province_of(province, provinces)
            if found is None:
                return None
            code, former = found
        rows = await store.existing.export_rows(code, former)
        names = await sheet_names(store)
        rules = await rules_in_force(store, ZoneInfo(settings.timezone))
    products_workbook(renderer, rows, names, today, rules).save(path)
    province_name = next((p.name for p in provinces if p.code == code), "")
    return len(rows), former, province_name
