"""Admins' pages: the audit log (by action and day) and the officers with their provinces."""

from __future__ import annotations

import json
from datetime import time, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.web.auth import Refused
from bot.web.context import Console, Viewer, utc_now
from bot.web.dates import read_moment
from handlers.account.codes import shown
from handlers.account.invites import create_invite, revoke_officer
from messages.render import format_number
from storage import Store
from storage.places import match

AUDIT_LIMIT = 300
NAMED = {"year", "training", "product", "broadcast", "round", "user", "producer", "pid", "uid"}


async def audit(console: Console, request: Request, viewer: Viewer) -> Response:
    """The latest audit entries, filtered by action and by day (typed as officers write it)."""
    zone = console.config.zone
    action = request.query_params.get("action", "").strip() or None
    typed = {key: request.query_params.get(key, "").strip() for key in ("since", "until")}
    since = read_moment(typed["since"], zone, time(0, 0)) if typed["since"] else None
    until = read_moment(typed["until"], zone, time(0, 0)) if typed["until"] else None
    if until is not None:
        until += timedelta(days=1)  # the whole last day
    async with console.db.reading() as store:
        entries = await store.audit.entries(action, AUDIT_LIMIT, since=since, until=until)
    names = {key.rsplit(".", 1)[1]: console.renderer.label(viewer.locale, key)
             for key in console.renderer.label_keys(viewer.locale)
             if key.startswith("web.audit_action.")}
    html = console.render(
        "audit.html", viewer.locale, viewer=viewer, action=action or "", names=names,
        entries=[(entry, readable(entry.details, viewer.locale)) for entry in entries],
        typed=typed,
        unread=[key for key, value in (("since", since), ("until", until))
                if typed[key] and value is None],
    )
    return HTMLResponse(html, status_code=400 if any(
        typed[k] and v is None for k, v in (("since", since), ("until", until))) else 200)


def _value(key: str, value: Any, locale: str) -> str:
    """One detail's value: text as it is, a count with the thousands dot, an id or year bare."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and not (
            key in NAMED or key.endswith("id")):
        return format_number(value, locale)
    return json.dumps(value, ensure_ascii=False)


def readable(details: Any, locale: str = "vi") -> str:
    """An entry's details as "key: value" pairs, Vietnamese letters as they are."""
    if not details:
        return ""
    if not isinstance(details, dict):
        return json.dumps(details, ensure_ascii=False)
    return "; ".join(f"{key}: {_value(key, value, locale)}" for key, value in details.items())


async def officers(console: Console, request: Request, viewer: Viewer,
                   code: str | None = None, status: int = 200) -> Response:
    """Officers and admins by name, with their provinces, revoke buttons, and the invite form."""
    async with console.db.reading() as store:
        staff = await store.users.staff()
        provinces = await store.reference.provinces()
        people = {}
        for user in staff:
            producer = await store.users.producer(user.producer_id) if user.producer_id else None
            people[user.id] = (producer.contact_person or producer.name) if producer else ""
    html = console.render(
        "officers.html", viewer.locale, viewer=viewer, staff=staff, people=people,
        names={p.code: p.name for p in provinces}, provinces=provinces, code=code,
        done=request.query_params.get("done"), own=viewer.user.officer_province or "",
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

    if uid == viewer.user.id:
        raise Refused(400, "own_role")
    if not await console.db.run(work):
        raise Refused(400, "not_officer")
    return RedirectResponse("/web/officers?done=revoked", status_code=303)
