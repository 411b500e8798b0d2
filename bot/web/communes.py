"""The console's page of dossiers at the communes (the commune's step of 26/2026/QĐ-TTg): each
with its commune, the day it arrived, its due day and the working days left or over; and the
late ones counted per commune. A commune officer also follows the dossiers their commune
forwarded or returned in the last 12 months: what it did and when, and where each is now."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.web.auth import Refused
from bot.web.context import Console, Viewer, utc_now
from handlers.common.standing import standing_label
from handlers.common.working_days import days_left, days_off, working_days_since
from storage import Store

FOLLOWED_DAYS = 365  # how far back a commune officer follows the dossiers their commune closed


async def _closed(console: Console, store: Store, viewer: Viewer,
                  today: date) -> list[dict[str, Any]]:
    """The commune's checks closed in the last 12 months: the dossier, what the commune did
    and when, and the dossier's standing now."""
    since = utc_now() - timedelta(days=FOLLOWED_DAYS)
    rows = []
    for review in await store.communes.closed_reviews(viewer.area.province,
                                                      viewer.area.commune_key, since):
        product = await store.products.get(review.product_id)
        if product is None:
            continue
        certificate = await store.certifications.latest_for(product.id)
        revoked = certificate is not None and await store.revocations.of_certification(
            certificate.id) is not None
        rows.append({"id": product.id, "name": product.name, "outcome": review.outcome,
                     "decided_at": review.decided_at, "now": standing_label(
                         console.renderer, viewer.locale, product.status.value,
                         certificate.expires_on if certificate else None, today, revoked)})
    return rows


async def page(console: Console, request: Request, viewer: Viewer) -> Response:
    """Dossiers still at their commune: the commune officer's own commune, the officer's
    province, every province for admins."""
    zone = console.config.zone
    today = utc_now().astimezone(zone).date()
    rows: list[dict[str, Any]] = []
    area = viewer.area
    if area.province == "":
        raise Refused(403, "forbidden")  # an officer granted no province, or no commune
    async with console.db.reading() as store:
        limit = await store.rules.number("commune_working_days")
        for review in await store.communes.open_reviews(area.province, area.commune_key):
            product = await store.products.get(review.product_id)
            start = review.received_at.astimezone(zone).date()
            passed = working_days_since(start, today, await days_off(store, start, today))
            rows.append({"id": review.product_id, "name": product.name if product else "",
                         "commune": review.commune, "province": review.province_code,
                         "received": review.received_at, "due_on": review.due_on,
                         "passed": passed, "late": passed >= limit,
                         "left": await days_left(store, review.due_on, today),
                         "officer": bool(await store.communes.officer_ids(
                             review.province_code, review.commune_key))})
        closed = await _closed(console, store, viewer, today) if area.commune_only else []
    late = Counter(row["commune"] for row in rows if row["late"])
    html = console.render("communes.html", viewer.locale, viewer=viewer, rows=rows,
                          limit=limit, late=sorted(late.items()), closed=closed)
    return HTMLResponse(html)
