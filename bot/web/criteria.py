"""Console: admins load the criteria (a zip or the CSV files); officers download a product's
self-assessment (Mẫu 02 as .docx, and the .xlsx)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.web.auth import Refused, guarded, may_see_product
from bot.web.context import Console, Viewer, utc_now
from handlers.assessment.common import scoring_for
from handlers.assessment.loading import load_criteria, problem_lines
from handlers.assessment.report import report_document
from handlers.assessment.sheet import assessment_sheet
from handlers.engine.events import Document
from storage import Store
from storage.criteria_files import read_zip
from storage.criteria_models import CriteriaRefused, Problem

MAX_UPLOAD = 20 * 1024 * 1024


async def page(console: Console, request: Request, viewer: Viewer,
               problems: list[str] | None = None, version: str = "") -> Response:
    """The loaded versions and the upload form (errors listed on top, the typed version kept)."""
    async with console.db.reading() as store:
        versions = await store.criteria.versions()
    html = console.render("criteria.html", viewer.locale, viewer=viewer, versions=versions,
                          problems=problems or [], version=version,
                          done=request.query_params.get("done", ""))
    return HTMLResponse(html, status_code=400 if problems else 200)


async def _files(request: Request) -> dict[str, bytes]:
    form = await request.form()  # parsed once already by the CSRF check; read from its cache
    files: dict[str, bytes] = {}
    for _, value in form.multi_items():
        if not isinstance(value, UploadFile) or not value.filename:
            continue
        content = await value.read(MAX_UPLOAD + 1)
        if len(content) > MAX_UPLOAD:
            raise CriteriaRefused([Problem(value.filename, 0, "too_large")])
        if value.filename.lower().endswith(".zip"):
            files.update(read_zip(content))
        else:
            files[value.filename.rsplit("/", 1)[-1]] = content
    return files


async def upload(console: Console, request: Request, viewer: Viewer,
                 form: dict[str, str]) -> Response:
    """Check the uploaded files and load them as a version; a broken file changes nothing."""
    version = form.get("version", "").strip()
    try:
        files = await _files(request)
        if not files:
            raise CriteriaRefused([Problem("", 0, "missing_file")])

        async def work(store: Store) -> str:
            bundle = await load_criteria(store, files, version or None, viewer.user.address,
                                         utc_now())
            return bundle.version

        loaded = await console.db.run(work)
    except CriteriaRefused as refused:
        lines = problem_lines(console.renderer, viewer.locale, refused.problems)
        return await page(console, request, viewer, problems=lines, version=version)
    return RedirectResponse(f"/web/criteria?done={loaded}", status_code=303)


async def _scored(console: Console, viewer: Viewer, pid: int,
                  make: Any) -> Document:
    async def work(store: Store) -> Document:
        product = await store.products.get(pid)
        province = await store.products.province_of(pid) if product else None
        if product is None or province is None:
            raise Refused(404, "not_found")
        if not await may_see_product(store, viewer, pid, province):
            await store.audit.record(viewer.user.address, "denied", utc_now(),
                                     subject="web.self_assessment", details={"product": pid})
            raise Refused(403, "forbidden")
        scoring = await scoring_for(store, product)
        if scoring is None:
            raise Refused(404, "not_found")
        document: Document = await make(store, scoring)
        return document

    return await guarded(console, work)


def _download(document: Document) -> Response:
    return Response(document.content, media_type=document.mime, headers={
        "Content-Disposition": f'attachment; filename="{document.filename}"'})


async def report(console: Console, request: Request, viewer: Viewer) -> Response:
    """A product's self-assessment report (Mẫu 02's scoring part) as .docx."""
    pid = int(request.path_params["pid"])

    async def make(store: Store, scoring: Any) -> Document:
        return await report_document(store, console.renderer, "vi", scoring, utc_now())

    return _download(await _scored(console, viewer, pid, make))


async def sheet(console: Console, request: Request, viewer: Viewer) -> Response:
    """A product's self-assessment as a spreadsheet."""
    pid = int(request.path_params["pid"])

    async def make(store: Store, scoring: Any) -> Document:
        return await assessment_sheet(store, console.renderer, viewer.locale, scoring)

    return _download(await _scored(console, viewer, pid, make))
