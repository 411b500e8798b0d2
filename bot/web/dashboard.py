"""The console's first page: the province's products by status and stars, expiring certificates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.web.context import Console, Viewer, utc_now
from storage import Store
from storage.product_models import ProductStatus

EXPIRY_WINDOW = timedelta(days=90)


@dataclass
class Figures:
    """Simple counts of a province's (or the country's) products."""

    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_stars: dict[int, int] = field(default_factory=dict)
    expiring: list[dict[str, Any]] = field(default_factory=list)


def expiry_of(value: Any) -> date | None:
    """A certificate's expiry date as stored (yyyy-mm-dd), or None."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


async def dashboard_figures(store: Store, scope: str | None, today: date) -> Figures:
    """Products by status and by stars, and certificates expiring within 90 days."""
    rows = await store.products.export_rows(scope)
    statuses = Counter(str(row["status"]) for row in rows)
    stars = Counter(
        int(row["stars"]) for row in rows
        if row["stars"] and row["status"] == ProductStatus.CERTIFIED.value
    )
    expiring = []
    for row in rows:
        ends = expiry_of(row["expires_on"])
        if ends is not None and today <= ends <= today + EXPIRY_WINDOW:
            expiring.append({"id": row["id"], "name": row["name"], "producer": row["producer"],
                             "expires_on": ends})
    expiring.sort(key=lambda item: item["expires_on"])
    return Figures(
        total=len(rows),
        by_status={status.value: statuses.get(status.value, 0) for status in ProductStatus},
        by_stars={n: stars.get(n, 0) for n in range(3, 6)},
        expiring=expiring,
    )


async def page(console: Console, request: Request, viewer: Viewer) -> Response:
    """The dashboard of the officer's province."""
    today = utc_now().astimezone(console.config.zone).date()
    async with console.db.reading() as store:
        figures = await dashboard_figures(store, viewer.scope, today)
        province = await store.reference.province(viewer.scope) if viewer.scope else None
    top = max([1, *figures.by_status.values()])
    html = console.render("dashboard.html", viewer.locale, viewer=viewer, figures=figures,
                          province=province.name if province else None, top=top)
    return HTMLResponse(html)
