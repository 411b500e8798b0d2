"""The province's certified list on the console: upload → column mapping → dry-run preview →
confirm. The file is read and checked by the same code as `ocop-bot import certified`."""

from __future__ import annotations

import asyncio
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.cli.certified import preview as preview_lines
from bot.cli.certified import province_code
from bot.cli.certified_read import FileProblem, Table, file_sheets, ignored_text, table_of
from bot.cli.certified_refused import reasons_text, write_refused
from bot.cli.sheet_read import MAX_FILE_BYTES, TooLarge
from bot.web.auth import Refused
from bot.web.context import Console, Viewer, utc_now
from handlers.claims import headers
from handlers.claims.importing import Plan, apply_plan, plan_import
from storage import Store

KEPT = timedelta(minutes=30)  # how long an upload can be mapped, previewed and confirmed
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Upload:
    """A list one officer uploaded, between the mapping and the confirm button."""

    user_id: int
    name: str
    sheets: list[tuple[str, list[list[Any]]]]
    layout: headers.Layout
    expires: datetime
    province: str | None = None
    mapping: tuple[str, ...] = ()
    skip_bad: bool = False


def _problem(console: Console, viewer: Viewer, key: str, status: int = 400,
             text: str = "") -> Response:
    html = console.render("certified.html", viewer.locale, viewer=viewer, problem=key,
                          text=text)
    return HTMLResponse(html, status_code=status)


async def page(console: Console, request: Request, viewer: Viewer) -> Response:
    """The upload form."""
    return HTMLResponse(console.render("certified.html", viewer.locale, viewer=viewer,
                                       problem=None, text=""))


def _upload(console: Console, viewer: Viewer, key: str) -> Upload:
    pending = console.uploads.get(key)
    if not isinstance(pending, Upload) or pending.user_id != viewer.user.id or (
            pending.expires <= utc_now()):
        raise Refused(410, "preview_gone")
    return pending


def _mapping_page(console: Console, viewer: Viewer, key: str, upload: Upload,
                  problem: str = "") -> Response:
    layout = upload.layout
    columns = [(headers.letter(i), text, layout.columns[i] if i < len(layout.columns) else None)
               for i, text in enumerate(layout.headers)]
    html = console.render("certified_map.html", viewer.locale, viewer=viewer, key=key,
                          upload=upload, columns=columns, keys=headers.COLUMNS,
                          missing=layout.missing, problem=problem)
    return HTMLResponse(html, status_code=400 if problem else 200)


async def upload(console: Console, request: Request, viewer: Viewer,
                 form: dict[str, str]) -> Response:
    """Read the file and find its table; then the mapping step."""
    sent = (await request.form()).get("file")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return _problem(console, viewer, "empty")
    content = await sent.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        return _problem(console, viewer, "too_large")
    name = Path(sent.filename).name
    def read() -> list[tuple[str, list[list[Any]]]]:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"list{Path(name).suffix.lower()}"
            path.write_bytes(content)
            return file_sheets(path, console.renderer, viewer.locale)

    try:
        sheets = await asyncio.to_thread(read)  # the chat and the outbox go on meanwhile
    except TooLarge as problem:
        return _problem(console, viewer, "text", text=problem.explain(console.renderer))
    except (FileProblem, OSError, ValueError) as problem:
        return _problem(console, viewer, "text", text=str(problem))
    layout = headers.find_layout(sheets, headers.header_names(console.renderer), strict=False)
    if layout is None:
        return _problem(console, viewer, "empty")
    now = utc_now()
    for old in [k for k, p in console.uploads.items() if p.expires <= now]:
        del console.uploads[old]
    key = secrets.token_urlsafe(16)
    console.uploads[key] = Upload(viewer.user.id, name, sheets, layout, now + KEPT,
                                  province=form.get("province", "").strip() or None,
                                  skip_bad=form.get("skip_bad") == "1")
    return _mapping_page(console, viewer, key, console.uploads[key])


async def _check(console: Console, viewer: Viewer, upload: Upload, table: Table,
                 store: Store) -> Plan | str:
    code = viewer.scope
    if code is None and upload.province:  # an admin may name the province of every row
        code = await province_code(store, upload.province)
        if code is None:
            return "province"
    config = console.config
    return await plan_import(store, console.renderer, config, table.rows, utc_now(), code)


def _table(console: Console, viewer: Viewer, upload: Upload) -> Table:
    layout = upload.layout
    at = (layout.sheet, layout.header_row, layout.header_rows)
    need_province = viewer.scope is None and not upload.province
    return table_of(upload.sheets, upload.name, console.renderer, viewer.locale,
                    need_province, upload.mapping, at)


async def preview(console: Console, request: Request, viewer: Viewer,
                  form: dict[str, str]) -> Response:
    """Apply the officer's mapping and check every row (nothing written)."""
    key = form.get("key", "")
    upload = _upload(console, viewer, key)
    letters = [headers.letter(i) for i in range(len(upload.layout.headers))]
    upload.mapping = tuple(  # every column as the officer set it, "-" for "not used"
        f"{letter}={form.get(f'c_{letter}') or headers.IGNORED}" for letter in letters
        if f"c_{letter}" in form and form[f"c_{letter}"] in (*headers.COLUMNS, ""))
    upload.skip_bad = form.get("skip_bad") == "1"
    try:
        table = _table(console, viewer, upload)
    except FileProblem as problem:
        return _mapping_page(console, viewer, key, upload, str(problem))
    async with console.db.reading() as store:
        plan = await _check(console, viewer, upload, table, store)
    if isinstance(plan, str):
        return _mapping_page(console, viewer, key, upload, plan)
    refused = [(row, reasons_text(console.renderer, viewer.locale, reasons))
               for row, reasons in plan.refused]
    html = console.render(
        "certified_preview.html", viewer.locale, viewer=viewer, key=key, upload=upload,
        plan=plan, refused=refused, ignored=ignored_text(table), sections=table.sections,
        lines=preview_lines(plan, console.renderer, viewer.locale),
        ready=bool(plan.products) and (plan.ok or upload.skip_bad),
    )
    return HTMLResponse(html)


async def refused_file(console: Console, request: Request, viewer: Viewer) -> Response:
    """The refused rows with their reasons, as an .xlsx to fix and upload again."""
    upload = _upload(console, viewer, request.path_params["key"])
    table = _table(console, viewer, upload)
    async with console.db.reading() as store:
        plan = await _check(console, viewer, upload, table, store)
    if isinstance(plan, str):
        raise Refused(410, "preview_gone")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "refused.xlsx"
        write_refused(path, table, plan, console.renderer, viewer.locale)
        content = path.read_bytes()
    stem = Path(upload.name).stem.encode("ascii", "ignore").decode() or "list"
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{stem}-tu-choi.xlsx"'})


async def confirm(console: Console, request: Request, viewer: Viewer,
                  form: dict[str, str]) -> Response:
    """Check again and record in one transaction: all rows, or the valid ones when asked."""
    key = form.get("key", "")
    upload = _upload(console, viewer, key)
    table = _table(console, viewer, upload)
    now = utc_now()

    async def work(store: Store) -> dict[str, int]:
        plan = await _check(console, viewer, upload, table, store)
        if isinstance(plan, str) or (not plan.ok and not upload.skip_bad):
            return {}
        return await apply_plan(store, plan, viewer.user.address, now, upload.skip_bad)

    summary = await console.db.run(work)
    del console.uploads[key]
    if not summary:  # the data changed since the preview: nothing recorded
        raise Refused(409, "preview_gone")
    html = console.render("certified_done.html", viewer.locale, viewer=viewer,
                          summary=summary)
    return HTMLResponse(html)
