"""Admins' pages: the audit log (filterable by action) and the officers with their provinces."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.web.auth import Refused
from bot.web.context import Console, Viewer, utc_now
from handlers.account.codes import shown
from handlers.account.invites import create_invite, revoke_officer
from storage import Store
from storage.places import match

AUDIT_LIMIT = 300


async def audit(console: Console, request: Request, viewer: Viewer) -> Response:
    """The latest audit entries, optionally of one action."""
    action = request.query_params.get("action", "").strip() or None
    async with console.db.reading() as store:
        entries = await store.audit.entries(action, AUDIT_LIMIT)
    html = console.render("audit.html", viewer.locale, viewer=viewer, entries=entries,
                          action=action or "")
    return HTMLResponse(html)


async def officers(console: Console, request: Request, viewer: Viewer,
                   code: str | None = None, status: int = 200) -> Response:
    """Officers and admins with their provinces, revoke buttons, and the invite form."""
    async with console.db.reading() as store:
        staff = await store.users.staff()
        provinces = await store.reference.provinces()
    html = console.render(
        "officers.html", viewer.locale, viewer=viewer, staff=staff,
        names={p.code: p.name for p in provinces}, provinces=provinces, code=code,
        done=request.query_params.get("done"),
    )
    return HTMLResponse(html, status_code=status)


async def invite(console: Console, request: Request, viewer: Viewer,
                 form: dict[str, str]) -> Response:
    """Make a one-time officer code for a province; shown once, typed in chat by the officer."""
    province, typed = form.get("province", ""), form.get("commune", "").strip()

    async def work(store: Store) -> str:
        found = await store.reference.province(province)
        if found is None:
            return "!bad_province"
        places = match(found.name, typed) if typed else []
        if typed and len(places) != 1:  # a commune officer's commune must be a known place
            return "!bad_commune"
        commune = places[0][1] if places else None
        code, _ = await create_invite(store, viewer.user.address, province, utc_now(), commune)
        return code

    code = await console.db.run(work)
    if code.startswith("!"):
        raise Refused(400, code[1:])
    return await officers(console, request, viewer, code=shown(code))


async def revoke(console: Console, request: Request, viewer: Viewer,
                 form: dict[str, str]) -> Response:
    """Take the officer role from an account; it is out of the console at its next click."""
    uid = int(request.path_params["uid"])

    async def work(store: Store) -> bool:
        if uid == viewer.user.id:
            return False
        return await revoke_officer(store, viewer.user.address, uid, utc_now()) is not None

    if not await console.db.run(work):
        raise Refused(400, "not_officer")
    return RedirectResponse("/web/officers?done=revoked", status_code=303)
