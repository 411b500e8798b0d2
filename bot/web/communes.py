"""The console's page of dossiers at the communes (the commune's step of 26/2026/QĐ-TTg): each
with its commune, the day it arrived, its due day and the working days left or over; and the
late ones counted per commune."""

from __future__ import annotations

from collections import Counter
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.web.auth import Refused
from bot.web.context import Console, Viewer, utc_now
from handlers.common.working_days import days_left, days_off, working_days_since


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
    late = Counter(row["commune"] for row in rows if row["late"])
    html = console.render("communes.html", viewer.locale, viewer=viewer, rows=rows,
                          limit=limit, late=sorted(late.items()))
    return HTMLResponse(html)
