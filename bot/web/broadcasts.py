"""Broadcasts: compose with audience filters and a live reach count, preview, send, report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.web.auth import Refused
from bot.web.context import Console, Viewer, utc_now
from handlers.broadcasts.compose import MAX_TEXT
from handlers.broadcasts.queue import (
    can_see,
    office_context,
    queue_announcement,
    scope_of,
    send_test_copy,
)
from messages import Format
from storage import Store
from storage.audience import AUDIENCE_FILTERS

OUTCOMES = ("delivered", "blocked", "retrying", "waiting", "failed", "cancelled")


def _picked(values: Any) -> list[tuple[str, str]]:
    """The (filter, value) pairs chosen in a form or query (`f_<filter>` fields)."""
    return [(key, str(values.get(f"f_{key}") or "")) for key in AUDIENCE_FILTERS
            if values.get(f"f_{key}")]


async def _options(store: Store, viewer: Viewer) -> dict[str, list[tuple[str, str]]]:
    scope = scope_of(viewer.user)
    found = {key: await store.audience.options(key, scope) for key in AUDIENCE_FILTERS}
    return {key: options for key, options in found.items() if options}


async def page(console: Console, request: Request, viewer: Viewer) -> Response:
    """The compose form and the recent broadcasts of the province."""
    async with console.db.reading() as store:
        options = await _options(store, viewer)
        accounts, producers = await store.audience.count(scope_of(viewer.user), [])
        recent = await store.broadcasts.recent(scope_of(viewer.user), 20)
    html = console.render(
        "broadcasts.html", viewer.locale, viewer=viewer, options=options,
        filters=AUDIENCE_FILTERS, accounts=accounts, producers=producers, recent=recent,
        max_text=MAX_TEXT, text="", chosen={}, problem=request.query_params.get("problem"),
    )
    return HTMLResponse(html)


async def reach(console: Console, request: Request, viewer: Viewer) -> Response:
    """How many accounts and producers the chosen filters reach (for the live count)."""
    async with console.db.reading() as store:
        accounts, producers = await store.audience.count(
            scope_of(viewer.user), _picked(request.query_params)
        )
    return JSONResponse({"accounts": accounts, "producers": producers})


def _when(console: Console, typed: str) -> datetime | None:
    """A datetime-local value read in the bot's time zone."""
    try:
        moment = datetime.fromisoformat(typed)
    except ValueError:
        return None
    return moment.replace(tzinfo=console.config.zone) if moment.tzinfo is None else moment


def _problem(console: Console, form: dict[str, str]) -> str | None:
    text = form.get("text", "").strip()
    if not text:
        return "empty_text"
    if len(text) > MAX_TEXT:
        return "too_long"
    when = form.get("when", "").strip()
    if when:
        moment = _when(console, when)
        if moment is None or moment <= utc_now():
            return "bad_when"
    return None


async def _audience(
    store: Store, viewer: Viewer, form: dict[str, str]
) -> list[tuple[str, str, str]]:
    options = await _options(store, viewer)
    chosen = []
    for key, value in _picked(form):
        texts = dict(options.get(key, []))
        if value not in texts:
            raise Refused(400, "bad_filter")
        chosen.append((key, value, texts[value]))
    return chosen


async def preview(console: Console, request: Request, viewer: Viewer,
                  form: dict[str, str]) -> Response:
    """Show the announcement as recipients will see it, who it reaches, and when it goes."""
    problem = _problem(console, form)
    async with console.db.reading() as store:
        audience = await _audience(store, viewer, form)
        accounts, producers = await store.audience.count(
            scope_of(viewer.user), [(a[0], a[1]) for a in audience])
        unclaimed = await store.claiming.unclaimed_count(
            scope_of(viewer.user), [(a[0], a[1]) for a in audience])
        options = await _options(store, viewer)
        recent = await store.broadcasts.recent(scope_of(viewer.user), 20)
        context = await office_context(store, viewer.user, form.get("text", "").strip(),
                                       form.get("urgent") == "1")
    common = {"viewer": viewer, "options": options, "filters": AUDIENCE_FILTERS,
              "accounts": accounts, "producers": producers, "max_text": MAX_TEXT,
              "text": form.get("text", ""), "chosen": dict(_picked(form))}
    if problem is not None:
        html = console.render("broadcasts.html", viewer.locale, recent=recent,
                              problem=problem, **common)
        return HTMLResponse(html, status_code=400)
    shown = console.renderer.render(viewer.locale, "broadcast/announcement",
                                    Format.HTML, **context)
    html = console.render(
        "broadcast_preview.html", viewer.locale, shown=shown, audience=audience,
        when=form.get("when", ""), urgent=form.get("urgent") == "1",
        sent_test=form.get("sent_test") == "1", unclaimed=unclaimed, **common,
    )
    return HTMLResponse(html)


async def send(console: Console, request: Request, viewer: Viewer,
               form: dict[str, str]) -> Response:
    """Send a test copy to one's own chat, or queue the broadcast (now or at its time)."""
    problem = _problem(console, form)
    if problem is not None:
        raise Refused(400, problem)
    text, urgent = form["text"].strip(), form.get("urgent") == "1"
    now = utc_now()
    if form.get("action") == "test":
        async def test(store: Store) -> None:
            await send_test_copy(store, console.renderer, viewer.user, now, text, urgent)

        await console.db.run(test)
        return await preview(console, request, viewer, {**form, "sent_test": "1"})
    when = _when(console, form.get("when", "").strip()) if form.get("when") else None

    async def queue(store: Store) -> int:
        audience = await _audience(store, viewer, form)
        broadcast_id, _ = await queue_announcement(
            store, console.renderer, viewer.user, now, text, audience,
            urgent=urgent, not_before=when or now,
        )
        return broadcast_id

    broadcast_id = await console.db.run(queue)
    return RedirectResponse(f"/web/broadcasts/{broadcast_id}", status_code=303)


async def report(console: Console, request: Request, viewer: Viewer) -> Response:
    """A broadcast's delivery report, with a chart by outcome."""
    bid = int(request.path_params["bid"])
    async with console.db.reading() as store:
        broadcast = await store.broadcasts.get(bid)
        if broadcast is None:
            raise Refused(404, "not_found")
        if not can_see(viewer.user, broadcast):
            raise Refused(403, "forbidden")
        counts = await store.broadcasts.report(bid)
    parts = [(name, int(getattr(counts, name))) for name in OUTCOMES]
    top = max([1, *(n for _, n in parts)])
    html = console.render("broadcast_report.html", viewer.locale, viewer=viewer,
                          broadcast=broadcast, report=counts, parts=parts, top=top)
    return HTMLResponse(html)
