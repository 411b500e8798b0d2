"""The console's first page: the province's figures, as /thongke shows them, and its chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.web.auth import Refused
from bot.web.context import Console, Viewer, utc_now
from handlers.figures.common import ChartData, chart_data, group_names
from messages import Format
from storage import Store
from storage.figure_models import PIPELINE_STATUSES, Row, Scope, Summary

EXPIRY_WINDOW = timedelta(days=90)
FIRST_YEAR = 2018  # the programme's first decisions


@dataclass
class Dashboard:
    """The figures of a province (or the country) for a year, from the figures queries."""

    summary: Summary
    provinces: list[tuple[str, Row]] = field(default_factory=list)  # the country, by province
    expiring: list[dict[str, Any]] = field(default_factory=list)  # certificates, soonest first


def expiry_of(value: Any) -> date | None:
    """A certificate's expiry date as stored (yyyy-mm-dd), or None."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def year_asked(request: Request, today: date) -> int:
    """The year the page shows: `?year=` when it is a sensible year, else this one."""
    typed = request.query_params.get("year", "")
    if typed.isdigit() and FIRST_YEAR <= int(typed) <= today.year + 1:
        return int(typed)
    return today.year


def province_of(viewer: Viewer) -> str | None:
    """The province an officer sees (None: an admin, the country)."""
    if viewer.scope == "":
        raise Refused(403, "forbidden")  # an officer without a province sees nothing
    return viewer.scope


async def dashboard_figures(
    store: Store, province: str | None, year: int, today: date
) -> Dashboard:
    """The province's summary, the country's split by province, and the expiring list."""
    summary = await store.figures.province_summary(province, year, today)
    provinces: list[tuple[str, Row]] = []
    if province is None:
        names = {p.code: p.name for p in await store.reference.provinces()}
        rows = await store.figures.breakdown(Scope(), year, today, "province")
        provinces = [(names.get(row.key, row.key), row) for row in rows]
    expiring = []
    for row in await store.products.export_rows(province):
        ends = expiry_of(row["expires_on"])
        if ends is not None and today <= ends <= today + EXPIRY_WINDOW:
            expiring.append({"id": row["id"], "name": row["name"], "producer": row["producer"],
                             "expires_on": ends})
    expiring.sort(key=lambda item: item["expires_on"])
    return Dashboard(summary=summary, provinces=provinces, expiring=expiring)


def progress(summary: Summary) -> int | None:
    """Newly certified products as a percentage of the target (at most 100), or None."""
    if not summary.target:
        return None
    return min(100, round(summary.new_this_year.total * 100 / summary.target))


async def zalo_use(console: Console, store: Store, locale: str) -> str:
    """The month's Zalo use as one line ("Zalo: đã dùng 2.140 / 3.000 tin …"), or ""."""
    plan = console.zalo_plan
    if plan is None:
        return ""
    now = utc_now()
    usage = await store.channel_usage.get("zalo", plan.month(now))
    return console.renderer.render(locale, "zalo/quota_used", Format.PLAIN,
                                   **plan.shown(usage, now))


def chart_tops(chart: ChartData) -> dict[str, int]:
    """The longest bar of each list of the phone's chart (targets count for the years)."""
    years = [y.new.total for y in chart.years] + [y.target or 0 for y in chart.years]
    return {"chart_top": max([1, *years]), "groups_top": max([1, *(n for _, n in chart.groups)])}


def chart_point(chart: ChartData) -> dict[str, int | str]:
    """What the chart's heading states: the year's new products against the year before."""
    *_, last, this = chart.years
    change = this.new.total - last.new.total
    trend = "more" if change > 0 else "fewer" if change < 0 else "same"
    return {"trend": trend, "year": this.year, "n": this.new.total, "last": last.year,
            "before": last.new.total}


async def page(console: Console, request: Request, viewer: Viewer) -> Response:
    """The dashboard of the officer's province (the country for admins)."""
    today = utc_now().astimezone(console.config.zone).date()
    year = year_asked(request, today)
    province = province_of(viewer)
    async with console.db.reading() as store:
        figures = await dashboard_figures(store, province, year, today)
        found = await store.reference.province(province) if province else None
        quota = await zalo_use(console, store, viewer.locale)
        funnel = await store.claiming.funnel(province)
        chart = await chart_data(store, Scope(province=province), year, today)
        groups = await group_names(store, viewer.locale)
    pipeline = figures.summary.pipeline
    html = console.render(
        "dashboard.html", viewer.locale, viewer=viewer, figures=figures, s=figures.summary,
        province=found.name if found else None, year=year, this_year=today.year,
        statuses=PIPELINE_STATUSES, top=max([1, *pipeline.values()]),
        progress=progress(figures.summary), zalo_quota=quota, funnel=funnel,
        chart=chart, groups=groups, point=chart_point(chart), **chart_tops(chart),
    )
    return HTMLResponse(html)
