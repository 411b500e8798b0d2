"""Results of a council meeting: typed in a table or uploaded, previewed, then confirmed."""

from __future__ import annotations

import asyncio
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.cli.results_file import FileProblem, read_rows, write_template
from bot.cli.sheet_read import MAX_FILE_BYTES, TooLarge
from bot.sheets.products import XLSX
from bot.web.auth import Refused
from bot.web.context import Console, Viewer, utc_now
from handlers.assessment.officer import self_scores
from handlers.rating.results_import import COLUMNS, Plan, Row, apply_plan, plan_import
from messages import Format
from storage import Store
from storage.product_models import Product, ProductStatus

TABLE_ROWS = 10
TABLE_COLUMNS = ("product_id", "score", "decision_number", "decision_date",
                 "certificate_number", "authority")
KEPT = timedelta(minutes=30)  # how long a preview can be confirmed
WAITING = 500  # dossiers waiting for a result, listed and put in the template


@dataclass
class Pending:
    """Rows previewed by one officer, waiting for the confirm button."""

    user_id: int
    rows: list[Row]
    expires: datetime


def _read_file(upload: UploadFile, content: bytes, console: Console) -> list[Row]:
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise FileProblem("type")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"results{suffix}"
        path.write_bytes(content)
        return read_rows(path, console.renderer)


def _table_rows(form: dict[str, str]) -> list[Row]:
    rows = []
    for i in range(TABLE_ROWS):
        cells = {key: form.get(f"r{i}_{key}", "").strip() for key in TABLE_COLUMNS}
        if any(cells.values()):
            rows.append(Row(number=i + 1, cells=dict(cells)))
    return rows


def _reasons(console: Console, locale: str, plan: Plan) -> list[tuple[int, list[str]]]:
    out = []
    for row, reasons in plan.refused:
        texts = []
        for code, details in reasons:
            text = console.renderer.label(locale, f"results_reason.{code}")
            shown = ", ".join(str(value) for value in details.values() if value != "")
            texts.append(f"{text} ({shown})" if shown else text)
        out.append((row, texts))
    return out


async def _waiting(console: Console, viewer: Viewer) -> list[Product]:
    """Received dossiers of the officer's province waiting for a result, oldest first."""
    async with console.db.reading() as store:
        return await store.products.in_status(ProductStatus.ACCEPTED, viewer.scope, WAITING)


def _page(console: Console, viewer: Viewer, waiting: list[Product], problem: str | None,
          detail: str | None = None) -> str:
    return console.render("results.html", viewer.locale, viewer=viewer, columns=TABLE_COLUMNS,
                          rows=TABLE_ROWS, problem=problem, detail=detail,
                          file_columns=COLUMNS, waiting=waiting)


async def page(console: Console, request: Request, viewer: Viewer) -> Response:
    """The dossiers waiting for a result, the template, the file upload and the table."""
    waiting = await _waiting(console, viewer)
    return HTMLResponse(_page(console, viewer, waiting, request.query_params.get("problem")))


async def template(console: Console, request: Request, viewer: Viewer) -> Response:
    """The results template, one row per dossier waiting for a result."""
    waiting = await _waiting(console, viewer)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ket-qua-danh-gia.xlsx"
        write_template(path, console.renderer, [(p.id, p.name or "") for p in waiting])
        content = path.read_bytes()
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": 'attachment; filename="ket-qua-danh-gia.xlsx"'})


async def _plan(console: Console, viewer: Viewer, rows: list[Row]) -> Plan:
    async with console.db.reading() as store:
        return await plan_import(store, rows, utc_now(), console.config, viewer.scope)


async def preview(console: Console, request: Request, viewer: Viewer,
                  form: dict[str, str]) -> Response:
    """Check every row (nothing written) and show what would be recorded, or why not."""
    upload = (await request.form()).get("file")
    problem = detail = None
    rows: list[Row] = []
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read(MAX_FILE_BYTES + 1)
        try:
            if len(content) > MAX_FILE_BYTES:
                raise TooLarge("sheets/file_too_large")
            # read by the reader process; this thread only waits, the event loop goes on
            rows = await asyncio.to_thread(_read_file, upload, content, console)
        except TooLarge as refused:
            problem = "too_large"
            if refused.context:  # which limit, in the officer's language
                detail = console.renderer.render(viewer.locale, refused.template,
                                                 Format.PLAIN, **refused.context).strip()
        except (FileProblem, OSError, UnicodeDecodeError, ValueError):
            problem = "unreadable"
    else:
        rows = _table_rows(form)
    if problem is None and not rows:
        problem = "empty"
    if problem is not None:
        html = _page(console, viewer, await _waiting(console, viewer), problem, detail)
        return HTMLResponse(html, status_code=400)
    plan = await _plan(console, viewer, rows)
    key = ""
    if plan.ok:
        now = utc_now()
        for old in [k for k, p in console.uploads.items() if p.expires <= now]:
            del console.uploads[old]
        key = secrets.token_urlsafe(16)
        console.uploads[key] = Pending(viewer.user.id, rows, now + KEPT)
    async with console.db.reading() as store:  # the producers' self-scores, side by side
        selfs = await self_scores(store, [r.product for _, r in plan.results], viewer.locale)
    html = console.render("results_preview.html", viewer.locale, viewer=viewer, plan=plan,
                          refused=_reasons(console, viewer.locale, plan), key=key, selfs=selfs)
    return HTMLResponse(html)


async def confirm(console: Console, request: Request, viewer: Viewer,
                  form: dict[str, str]) -> Response:
    """Record the previewed results in one transaction, checked again; producers are told."""
    key = form.get("key", "")
    pending = console.uploads.get(key)
    if pending is None or pending.user_id != viewer.user.id or pending.expires <= utc_now():
        raise Refused(410, "preview_gone")  # already confirmed (a second click), or expired
    del console.uploads[key]  # taken before any await: a second click finds it gone
    now = utc_now()

    async def work(store: Store) -> tuple[Plan, dict[int, list[int]]]:
        plan = await plan_import(store, pending.rows, now, console.config, viewer.scope)
        if not plan.ok:
            return plan, {}
        notices = await apply_plan(store, console.renderer, console.config, plan,
                                   viewer.user.address, now)
        return plan, notices

    try:
        plan, notices = await console.db.run(work)
    except BaseException:  # nothing recorded (a busy database): it can be confirmed again
        console.uploads[key] = pending
        raise
    if not plan.ok:  # the data changed since the preview: show why, nothing recorded
        html = console.render("results_preview.html", viewer.locale, viewer=viewer, plan=plan,
                              refused=_reasons(console, viewer.locale, plan), key="")
        return HTMLResponse(html, status_code=409)
    html = console.render("results_done.html", viewer.locale, viewer=viewer,
                          count=len(plan.results), producers=len(notices))
    return HTMLResponse(html)



