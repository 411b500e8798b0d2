"""The dashboard's chart: the same PNG /thongke sends, drawn once per province, year and day."""

from __future__ import annotations

import asyncio
import time

from starlette.requests import Request
from starlette.responses import Response

from bot.charts import render_png
from bot.web.context import Console, Viewer, utc_now
from bot.web.dashboard import province_of, year_asked
from handlers.figures.common import chart_data, chart_of, place_name
from storage.figure_models import Scope

FRESH_SECONDS = 300.0  # a drawn chart is served again for five minutes
KEPT = 64  # charts kept at most


async def chart_png(console: Console, province: str | None, year: int, locale: str) -> bytes:
    """The chart of a province (None: the country) for a year, drawn or from the cache."""
    today = utc_now().astimezone(console.config.zone).date()
    key = (province, year, today.isoformat(), locale)
    kept = console.charts.get(key)
    if kept is not None and time.monotonic() - kept[0] < FRESH_SECONDS:
        return kept[1]
    async with console.db.reading() as store:
        place = await place_name(store, console.renderer, locale, province)
        title = console.renderer.label(locale, "figures.chart_title", place=place, year=year)
        data = await chart_data(store, Scope(province=province), year, today)
        chart = await chart_of(store, console.renderer, locale, title, data)
    png = await asyncio.to_thread(render_png, chart)
    if len(console.charts) >= KEPT:
        console.charts.pop(min(console.charts, key=lambda k: console.charts[k][0]))
    console.charts[key] = (time.monotonic(), png)
    return png


async def image(console: Console, request: Request, viewer: Viewer) -> Response:
    """The dashboard's chart as a PNG."""
    today = utc_now().astimezone(console.config.zone).date()
    png = await chart_png(console, province_of(viewer), year_asked(request, today),
                          viewer.locale)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})
