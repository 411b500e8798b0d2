"""Broadcasts: compose with audience filters and a live reach count, preview, send, report."""

from __future__ import annotations

import io
import secrets
from datetime import datetime, time
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.sheets.recipients import XLSX, recipient, recipients_workbook
from bot.web.auth import Refused, guarded
from bot.web.context import Console, Viewer, utc_now
from bot.web.dates import read_moment
from bot.web.dates import shown as date_shown
from handlers.broadcasts.compose import MAX_TEXT
from handlers.broadcasts.options import audience_options
from handlers.broadcasts.queue import (
    can_see,
    office_context,
    queue_announcement,
    scope_of,
    send_test_copy,
)
from messages import Format
from messages.render import format_number
from storage import Store
from storage.audience import AUDIENCE_FILTERS
from storage.broadcasts import Broadcast, DeliveryReport

OUTCOMES = ("delivered", "blocked", "retrying", "waiting", "failed", "cancelled")


def _picked(values: Any) -> list[tuple[str, str]]:
    """The (filter, value) pairs chosen in a form or query (`f_<filter>` fields)."""
    return [(key, str(values.get(f"f_{key}") or "")) for key in AUDIENCE_FILTERS
            if values.get(f"f_{key}")]


async def _options(console: Console, store: Store,
                   viewer: Viewer) -> dict[str, list[tuple[str, str]]]:
    scope = scope_of(viewer.user)
    found = {key: await audience_options(store, console.renderer, viewer.locale, key, scope)
             for key in AUDIENCE_FILTERS}
    return {key: options for key, options in found.items() if options}


async def page(console: Console, request: Request, viewer: Viewer) -> Response:
    """The compose form and the recent broadcasts of the province."""
    async with console.db.reading() as store:
        options = await _options(console, store, viewer)
        accounts, producers = await store.audience.count(scope_of(viewer.user), [])
        recent = await store.broadcasts.recent(scope_of(viewer.user), 20)
    html = console.render(
        "broadcasts.html", viewer.locale, viewer=viewer, options=options,
        filters=AUDIENCE_FILTERS, accounts=accounts, producers=producers, recent=recent,
        max_text=MAX_TEXT, text="", chosen={}, problem=request.query_params.get("problem"),
        when_typed="",
    )
    return HTMLResponse(html)


async def reach(console: Console, request: Request, viewer: Viewer) -> Response:
    """How many accounts and producers the chosen filters reach (for the live count)."""
    async with console.db.reading() as store:
        accounts, producers = await store.audience.count(
            scope_of(viewer.user), _picked(request.query_params)
        )
    return JSONResponse({"accounts": accounts, "producers": producers,
                         "shown": format_number(accounts, viewer.locale)})


def _when(console: Console, typed: str) -> datetime | None:
    """The sending time typed as in the chat (a date alone: 08:00 that day)."""
    return read_moment(typed, console.config.zone, time(8, 0))


def _problem(console: Console, form: dict[str, str]) -> str | None:
    text = form.get("text", "").strip()
    if not text:
        return "empty_text"
    if len(text) > MAX_TEXT:
        return "too_long"
    when = form.get("when", "").strip()
    if when:
        moment = _when(console, when)
        if moment is None:
            return "unreadable_when"
        if moment <= utc_now():
            return "bad_when"
    return None


async def _audience(
    console: Console, store: Store, viewer: Viewer, form: dict[str, str]
) -> list[tuple[str, str, str]]:
    options = await _options(console, store, viewer)
    chosen = []
    for key, value in _picked(form):
        texts = dict(options.get(key, []))
        if value not in texts:
            raise Refused(400, "bad_filter")
        chosen.append((key, value, texts[value]))
    return chosen


async def zalo_need(console: Console, store: Store, viewer: Viewer, province: str | None,
                    filters: list[tuple[str, str]]) -> tuple[str, bool]:
    """What the announcement takes of the month's Zalo quota, and whether that is too much."""
    plan = console.zalo_plan
    if plan is None:
        return "", False
    needed = await store.audience.count_on(province, filters, "zalo")
    if not needed:
        return "", False
    now = utc_now()
    usage = await store.channel_usage.get("zalo", plan.month(now))
    left = max(plan.limit - usage.used, 0) if plan.limit else None
    usable = plan.limit * plan.urgent_from // 100 - usage.used  # from there on: urgent only
    short = usage.paused_at(now) is not None or (
        left is not None and needed > usable)
    line = console.renderer.render(viewer.locale, "zalo/quota_broadcast", Format.PLAIN,
                                   needed=needed, left=left, short=short,
                                   **plan.shown(usage, now))
    return line, short


async def preview(console: Console, request: Request, viewer: Viewer,
                  form: dict[str, str]) -> Response:
    """Show the announcement as recipients will see it, who it reaches, and when it goes."""
    if scope_of(viewer.user) == "":  # an officer granted no province reaches no one
        raise Refused(403, "no_province")
    problem = _problem(console, form)
    async with console.db.reading() as store:
        audience = await _audience(console, store, viewer, form)
        accounts, producers = await store.audience.count(
            scope_of(viewer.user), [(a[0], a[1]) for a in audience])
        unclaimed = await store.claiming.unclaimed_count(
            scope_of(viewer.user), [(a[0], a[1]) for a in audience])
        options = await _options(console, store, viewer)
        recent = await store.broadcasts.recent(scope_of(viewer.user), 20)
        context = await office_context(store, viewer.user, form.get("text", "").strip(),
                                       form.get("urgent") == "1")
        zalo_quota = await zalo_need(console, store, viewer, scope_of(viewer.user),
                                     [(a[0], a[1]) for a in audience])
    common = {"viewer": viewer, "options": options, "filters": AUDIENCE_FILTERS,
              "accounts": accounts, "producers": producers, "max_text": MAX_TEXT,
              "text": form.get("text", ""), "chosen": dict(_picked(form)),
              "when_typed": form.get("when", "")}
    if problem is not None:
        html = console.render("broadcasts.html", viewer.locale, recent=recent,
                              problem=problem, **common)
        return HTMLResponse(html, status_code=400)
    shown = console.renderer.render(viewer.locale, "broadcast/announcement",
                                    Format.HTML, **context)
    html = console.render(
        "broadcast_preview.html", viewer.locale, shown=shown, audience=audience,
        when=form.get("when", ""), urgent=form.get("urgent") == "1",
        when_shown=date_shown(_when(console, form.get("when", "")), console.config.zone),
        sent_test=form.get("sent_test") == "1", zalo_quota=zalo_quota, unclaimed=unclaimed,
        once=secrets.token_urlsafe(16), **common,
    )
    return HTMLResponse(html)


async def send(console: Console, request: Request, viewer: Viewer,
               form: dict[str, str]) -> Response:
    """Send a test copy to one's own chat, or queue the broadcast (now or at its time)."""
    if scope_of(viewer.user) == "":  # an officer granted no province reaches no one
        raise Refused(403, "no_province")
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

    once = form.get("once", "")  # the preview's one-time key: a second send queues nothing

    async def queue(store: Store) -> int:
        if once and (queued := await store.broadcasts.sent_with(once)) is not None:
            return queued  # the same form again (a double click, a reload): its report
        audience = await _audience(console, store, viewer, form)
        broadcast_id, _ = await queue_announcement(
            store, console.renderer, viewer.user, now, text, audience,
            urgent=urgent, not_before=when or now,
        )
        if once:
            await store.broadcasts.remember_form(broadcast_id, once)
        return broadcast_id

    broadcast_id = await console.db.run(queue)
    return RedirectResponse(f"/web/broadcasts/{broadcast_id}", status_code=303)


async def report(console: Console, request: Request, viewer: Viewer) -> Response:
    """A broadcast's delivery report, with a chart by outcome."""
    bid = int(request.path_params["bid"])

    async def work(store: Store) -> tuple[Broadcast, DeliveryReport, list[dict[str, Any]]]:
        broadcast = await store.broadcasts.get(bid)
        if broadcast is None:
            raise Refused(404, "not_found")
        if not can_see(viewer.user, broadcast):  # audited, as every refusal of the console
            await store.audit.record(viewer.user.address, "denied", utc_now(),
                                     subject=f"broadcast:{bid}")
            raise Refused(403, "forbidden")
        return (broadcast, await store.broadcasts.report(bid),
                await store.broadcasts.recipient_rows(bid))

    broadcast, counts, rows = await guarded(console, work)
    people = [recipient(console.renderer, viewer.locale, row) for row in rows]
    if request.query_params.get("xlsx"):
        buffer = io.BytesIO()
        recipients_workbook(console.renderer, viewer.locale, people).save(buffer)
        name = f"nguoi-nhan-thong-bao-{bid}.xlsx"
        return Response(buffer.getvalue(), media_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    parts = [(name, int(getattr(counts, name))) for name in OUTCOMES]
    top = max([1, *(n for _, n in parts)])
    html = console.render("broadcast_report.html", viewer.locale, viewer=viewer,
                          broadcast=broadcast, report=counts, parts=parts, top=top,
                          people=people)
    return HTMLResponse(html)
