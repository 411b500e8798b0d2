"""Products: the filtered list, its xlsx export, a dossier, accept or return it."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.sheets.products import XLSX, products_workbook, rules_in_force, sheet_names
from bot.web.auth import Refused, guarded, may_see_product
from bot.web.commune_check import commune_card
from bot.web.context import Console, Viewer, utc_now
from bot.web.dashboard import expiry_of
from bot.web.photos import image_type
from bot.web.revocation import certificate_card
from handlers.assessment.officer import self_score_page
from handlers.common.places import commune_choices, commune_of
from handlers.common.product_code import read_product_code
from handlers.common.standing import standing_label
from handlers.rating.product_code import save_code
from handlers.rating.review import NOTE_LIMIT, accept, give_back, note_problem
from handlers.rating.revocation import ground_of, revocable, revoke
from handlers.rating.rules import MAX_NUMBER, parse_date
from messages.text import fold
from storage import Store
from storage.product_models import Product, ProductStatus

SHOWN = 500  # rows on one page; the export holds every matching row
FILTERS = ("status", "stars", "group", "commune", "former", "expiring", "claimed", "q")


def _wanted(request: Request) -> dict[str, str]:
    return {key: request.query_params.get(key, "").strip() for key in FILTERS}


def matches(row: dict[str, Any], wanted: dict[str, str], today: date) -> bool:
    """Whether a product row passes the filters (search typed with or without diacritics)."""
    if wanted["status"] and row["status"] != wanted["status"]:
        return False
    if wanted["stars"] and str(row["stars"] or "") != wanted["stars"]:
        return False
    if wanted["group"] and row["group_code"] != wanted["group"]:
        return False
    if wanted["commune"] and wanted["commune"] != commune_of(row["commune_code"]) and (
            fold(row["commune"] or "") != fold(wanted["commune"])):  # a name: an older link
        return False
    if wanted["former"] and row.get("former_province") != wanted["former"]:
        return False
    if wanted["claimed"] in ("yes", "no") and bool(row["claimed"]) != (wanted["claimed"] == "yes"):
        return False
    if wanted["expiring"].isdigit():
        ends = expiry_of(row["expires_on"])
        limit = today + timedelta(days=int(wanted["expiring"]))
        if ends is None or not today <= ends <= limit:
            return False
    if wanted["q"]:
        typed = fold(wanted["q"])
        words = f"{row['id']} {row['name']} {row['producer']} {row['contact_person']}"
        if typed not in fold(words):
            return False
    return True


async def _rows(console: Console, store: Store, viewer: Viewer,
                wanted: dict[str, str]) -> tuple[list[dict[str, Any]], set[str]]:
    """The rows the filters let through, and every commune of the unfiltered list."""
    today = utc_now().astimezone(console.config.zone).date()
    rows = await store.products.export_rows(viewer.scope)
    communes = {commune_of(row["commune_code"]) for row in rows}
    for row in rows:
        ends = expiry_of(row["expires_on"])
        row["expired"] = ends is not None and ends < today
    shown = [row for row in rows if matches(row, wanted, today)]
    for row in shown:
        row["standing"] = standing_label(console.renderer, viewer.locale, row["status"],
                                         expiry_of(row["expires_on"]), today,
                                         row["revoked"] is not None)
    return shown, communes


async def listing(console: Console, request: Request, viewer: Viewer) -> Response:
    """The officer's products, filtered."""
    wanted = _wanted(request)
    async with console.db.reading() as store:
        rows, keys = await _rows(console, store, viewer, wanted)
        groups = await store.catalog.groups()
        formers = await store.products.former_provinces(viewer.scope)
    communes = commune_choices(console.renderer, viewer.locale, keys)
    waiting = wanted["status"] == ProductStatus.SUBMITTED.value
    heading = console.renderer.label(
        viewer.locale, "web.products.title_waiting" if waiting else "web.products.title")
    html = console.render(
        "products.html", viewer.locale, viewer=viewer, rows=rows[:SHOWN], count=len(rows),
        wanted=wanted, statuses=[s.value for s in ProductStatus], heading=heading,
        groups=[(g.code, g.name(viewer.locale)) for g in groups], communes=communes,
        formers=formers, query=str(request.url.query),
    )
    return HTMLResponse(html)


async def export(console: Console, request: Request, viewer: Viewer) -> Response:
    """What the list shows, as the officers' spreadsheet (the one `export products` writes)."""
    today = utc_now().astimezone(console.config.zone).date()
    async with console.db.reading() as store:
        shown = {row["id"] for row in (await _rows(console, store, viewer, _wanted(request)))[0]}
        rows = [row for row in await store.existing.export_rows(viewer.scope)
                if row["id"] in shown]
        names = await sheet_names(store)
        rules = await rules_in_force(store, console.config.zone)
    buffer = io.BytesIO()
    products_workbook(console.renderer, rows, names, today, rules).save(buffer)
    return Response(
        buffer.getvalue(), media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="san-pham-ocop.xlsx"'},
    )


async def _product(store: Store, viewer: Viewer, pid: int) -> Product:
    """The product if this officer may see it: Refused 404 or 403 otherwise."""
    product = await store.products.get(pid)
    if product is None:
        raise Refused(404, "not_found")
    province = await store.products.province_of(pid)
    if province is None or not await may_see_product(store, viewer, pid, province):
        await store.audit.record(viewer.user.address, "denied", utc_now(),
                                 subject="web.product", details={"product": pid})
        raise Refused(403, "forbidden")
    return product


async def dossier(console: Console, request: Request, viewer: Viewer) -> Response:
    """One dossier: answers, photos large, checklist, history, and accept or return."""
    pid = int(request.path_params["pid"])
    locale = viewer.locale

    async def work(store: Store) -> dict[str, Any]:
        product = await _product(store, viewer, pid)
        producer = await store.users.producer(product.producer_id)
        group = await store.catalog.group(product.group_code)
        pset = await store.catalog.product_set(product.set_code)
        items = await store.catalog.dossier_items(product.group_code)
        marks = await store.products.marks(product.id)
        certificate = await store.certifications.latest_for(product.id)
        return {
            "certificate": certificate,
            "product": product,
            "producer": producer,
            "group": group.name(locale) if group else "",
            "set": pset.name(locale) if pset else "",
            "photos": len(await store.products.photos(product.id)),
            "items": [{"name": i.name(locale), "explain": i.explain(locale),
                       "optional": i.optional, "code": i.code,
                       "how": _how(marks[i.code].how, i.physical) if i.code in marks else "",
                       "opens": i.code in marks and marks[i.code].file_id is not None}
                      for i in items],
            "events": await store.products.events(product.id),
            "pending": product.status is ProductStatus.SUBMITTED and not viewer.area.commune_only,
            **await self_score_page(store, product, locale),
            **await commune_card(console, store, viewer, product),
            **await certificate_card(console, store, product, locale),
        }

    context = await guarded(console, work)  # a refusal is written to the audit log
    counted = [item for item in context["items"] if not item["optional"]]
    today = utc_now().astimezone(console.config.zone).date()
    cert = context["certificate"]
    html = console.render("dossier.html", locale, viewer=viewer, note_limit=NOTE_LIMIT,
                          problem=request.query_params.get("problem"),
                          done=sum(1 for item in counted if item["how"]), total=len(counted),
                          expired=bool(cert and cert.expires_on and cert.expires_on < today),
                          **context)
    return HTMLResponse(html)


def _how(how: str, physical: bool) -> str:
    """How an item was made ready, as the page names it: a thing prepared is not paper."""
    return "physical" if physical and how == "paper" else how


async def item_file(console: Console, request: Request, viewer: Viewer) -> Response:
    """The photo or PDF a producer sent for a dossier item, from its chat channel."""
    pid, code = int(request.path_params["pid"]), str(request.path_params["code"])

    async def work(store: Store) -> tuple[str, str] | None:
        await _product(store, viewer, pid)
        mark = (await store.products.marks(pid)).get(code)
        if mark is None or mark.file_id is None or mark.channel is None:
            return None
        return mark.channel, mark.file_id

    found = await guarded(console, work)
    fetched = await console.fetch_photo(*found) if found and console.fetch_photo else None
    if fetched is None:
        raise Refused(404, "no_photo")
    content, mime = fetched
    return Response(content, media_type=mime, headers={"Cache-Control": "private, max-age=3600"})


async def photo(console: Console, request: Request, viewer: Viewer) -> Response:
    """A product photo, fetched from the chat channel it was sent on."""
    pid, n = int(request.path_params["pid"]), int(request.path_params["n"])

    async def work(store: Store) -> tuple[str, str] | None:
        await _product(store, viewer, pid)
        photos = await store.products.photos(pid)
        return (photos[n - 1].channel, photos[n - 1].file_id) if 0 < n <= len(photos) else None

    found = await guarded(console, work)
    fetched = await console.fetch_photo(*found) if found and console.fetch_photo else None
    mime = image_type(fetched[0]) if fetched else None
    if fetched is None or mime is None:  # only JPEG, PNG or WebP, as the bytes say
        raise Refused(404, "no_photo")
    return Response(fetched[0], media_type=mime,
                    headers={"Cache-Control": "private, max-age=3600"})


async def decide(console: Console, request: Request, viewer: Viewer,
                 form: dict[str, str]) -> Response:
    """Accept the dossier, or return it with a note; the producer is told in chat."""
    pid = int(request.path_params["pid"])
    action = form.get("action", "")
    note = form.get("note", "").strip()
    now = utc_now()

    async def work(store: Store) -> str:
        product = await _product(store, viewer, pid)
        if product.status is not ProductStatus.SUBMITTED:
            return "not_pending"
        if action == "accept":
            await accept(store, console.renderer, viewer.user.address, product, now)
            return "accepted"
        if action == "return":
            if note_problem(note) is not None:
                return "bad_note"
            await give_back(store, console.renderer, viewer.user.address, product, note, now)
            return "returned"
        return "not_pending"

    outcome = await guarded(console, work)
    if outcome in ("accepted", "returned"):
        return RedirectResponse(f"/web/products/{pid}?problem=done_{outcome}", status_code=303)
    return RedirectResponse(f"/web/products/{pid}?problem={outcome}", status_code=303)


async def revoke_form(console: Console, request: Request, viewer: Viewer,
                      form: dict[str, str]) -> Response:
    """Record a revocation typed in the console: ground, decision number and date."""
    pid = int(request.path_params["pid"])
    number, day = form.get("number", "").strip(), parse_date(form.get("date", ""))
    now = utc_now()

    async def work(store: Store) -> str:
        product = await _product(store, viewer, pid)
        cert = await store.certifications.latest_for(product.id)
        target = await revocable(store, cert.certificate_number or "") if cert else None
        ground = await ground_of(store, form.get("ground", ""))
        if target is None or cert is None or target.product.id != product.id:
            return "revoke_not_possible"
        if ground is None or not number or len(number) > MAX_NUMBER or day is None:
            return "revoke_incomplete"
        if day > now.astimezone(console.config.zone).date() or (
                cert.decision_date is not None and day < cert.decision_date):
            return "revoke_bad_date"
        await revoke(store, console.renderer, target, ground, decision_number=number,
                     decision_date=day, actor=viewer.user.address, now=now)
        return "done_revoked"

    outcome = await guarded(console, work)
    return RedirectResponse(f"/web/products/{pid}?problem={outcome}", status_code=303)


async def code_form(console: Console, request: Request, viewer: Viewer,
                    form: dict[str, str]) -> Response:
    """Record a certified product's OCOP product code typed in the console."""
    pid = int(request.path_params["pid"])
    now = utc_now()
    code = read_product_code(form.get("code", ""), now.astimezone(console.config.zone).year)

    async def work(store: Store) -> str:
        product = await _product(store, viewer, pid)
        cert = await store.certifications.latest_for(product.id)
        target = await revocable(store, cert.certificate_number or "") if cert else None
        if target is None or target.product.id != product.id:
            return "code_not_certified"
        if code is None:
            return "code_bad"
        saved = await save_code(store, target, code, viewer.user.address, now)
        return "done_code" if saved else "code_used"

    outcome = await guarded(console, work)
    return RedirectResponse(f"/web/products/{pid}?problem={outcome}", status_code=303)
