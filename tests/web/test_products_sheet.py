"""The console's xlsx export and `ocop-bot export products` write the same officers' sheet."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from openpyxl import load_workbook

from storage import Database
from tests.claims.test_import_certified import run
from tests.web.support import console_server, seed, sign_in


async def test_the_console_export_is_the_clis_sheet_filtered_to_the_page(
    db: Database, tmp_path: Path
) -> None:
    seeded = await seed(db)
    out = tmp_path / "cli.xlsx"
    result = await asyncio.to_thread(run, tmp_path / "ocop.db", "export", "products", str(out))
    assert result.exit_code == 0, result.output
    cli = load_workbook(out).active
    assert cli is not None
    async with console_server(db) as client:
        await sign_in(client, db, seeded.users["vl"])
        answer = await client.get("/web/products.xlsx", params={"status": "submitted"})
    assert answer.status_code == 200
    web = load_workbook(io.BytesIO(answer.content)).active
    assert web is not None
    assert web.title == cli.title == "Sản phẩm OCOP"
    assert next(web.iter_rows(values_only=True)) == next(cli.iter_rows(values_only=True))
    assert web.freeze_panes == "A2" and web.auto_filter.ref == "A1:W2"
    rows = list(web.iter_rows(values_only=True))
    column = {name: index for index, name in enumerate(rows[0])}
    assert [(row[column["Tên sản phẩm"]], row[column["Tỉnh/thành"]]) for row in rows[1:]] == [
        ("Kẹo dừa Bến Tre", "Vĩnh Long")]  # the page's filter, the officer's province
    assert len(list(cli.iter_rows(min_row=2))) == 3  # the CLI, unfiltered, has every product
