"""Admins' pages: the audit log (filterable by action) and the officers with their provinces."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.web.context import Console, Viewer

AUDIT_LIMIT = 300


async def audit(console: Console, request: Request, viewer: Viewer) -> Response:
    """The latest audit entries, optionally of one action."""
    action = request.query_params.get("action", "").strip() or None
    async with console.db.reading() as store:
        entries = await store.audit.entries(action, AUDIT_LIMIT)
    html = console.render("audit.html", viewer.locale, viewer=viewer, entries=entries,
                          action=action or "")
    return HTMLResponse(html)


async def officers(console: Console, request: Request, viewer: Viewer) -> Response:
    """Officers and admins, with their provinces."""
    async with console.db.reading() as store:
        staff = await store.users.staff()
        names = {p.code: p.name for p in await store.reference.provinces()}
    html = console.render("officers.html", viewer.locale, viewer=viewer, staff=staff,
                          names=names)
    return HTMLResponse(html)
