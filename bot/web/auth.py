"""Signing in with a one-time link from chat, the session cookie, CSRF and access checks."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.web.context import Area, Console, Viewer, may_use_console, utc_now
from handlers.common.access import may_manage
from handlers.engine.turn import with_config_role
from messages import LOCALES
from storage import Store
from storage.models import Role, User
from storage.places import place_key

COOKIE = "ocop_web"
LANG_COOKIE = "ocop_lang"
LOGIN_COOKIE = "ocop_login"  # set by the link page, checked by its sign-in button
SESSION_LENGTH = timedelta(hours=8)
LINK_PAGE_LENGTH = timedelta(minutes=10)


T = TypeVar("T")


class Refused(Exception):
    """The request may not go on; `status` and the page's message key say why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def guarded(console: Console, work: Callable[[Store], Awaitable[T]]) -> T:
    """Run `work` in one transaction; a refusal inside it still commits (its audit entry)."""

    async def inner(store: Store) -> T | Refused:
        try:
            return await work(store)
        except Refused as refused:
            return refused

    outcome = await console.db.run(inner)
    if isinstance(outcome, Refused):
        raise outcome
    return outcome


def request_locale(request: Request, fallback: str = "vi") -> str:
    """The language asked for (?lang= or its cookie), else the account's."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in LOCALES else fallback


async def viewer_of(console: Console, request: Request) -> Viewer | None:
    """The officer signed in on this request, with role and province read afresh; None if not."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    async with console.db.reading() as store:
        session = await store.web_sessions.find(token, utc_now())
        user = await store.users.get(session.user_id) if session else None
        if session is None or user is None:
            return None
        user = with_config_role(user, console.config)
        if not may_use_console(user) or not user.active:
            return None  # revoked (or gone): out at the next click
        area = await scope_of(store, user)
    return Viewer(user, session, token, request_locale(request, user.locale), area)


async def scope_of(store: Store, user: User) -> Area:
    """Where this user works: every province (admin), one province (officer), or one commune
    of one province (commune officer; nothing at all if the commune is missing)."""
    if user.role is Role.ADMIN:
        return Area(None)
    if user.role is Role.COMMUNE_OFFICER:
        mine = await store.communes.commune_of(user.id)
        return Area(mine[0], mine[1], mine[2]) if mine and mine[2] else Area("", "", "")
    return Area(user.officer_province or "")


async def check_csrf(viewer: Viewer, request: Request) -> dict[str, str]:
    """The submitted form, if it carries this session's CSRF token; Refused(403) otherwise."""
    form = await request.form()
    given = form.get("csrf")
    if not isinstance(given, str) or not hmac.compare_digest(
        given.encode(), viewer.session.csrf.encode()
    ):
        raise Refused(403, "csrf")
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def login_page(console: Console, request: Request, status: int = 401) -> HTMLResponse:
    """How to sign in: type /web in chat."""
    html = console.render("login.html", request_locale(request), viewer=None, token=None)
    return HTMLResponse(html, status_code=status)


def refusal_page(console: Console, request: Request, refused: Refused,
                 viewer: Viewer | None) -> HTMLResponse:
    """A polite page saying why the request was refused."""
    locale = viewer.locale if viewer else request_locale(request)
    html = console.render("refused.html", locale, viewer=viewer, reason=refused.reason)
    return HTMLResponse(html, status_code=refused.status)


async def link_page(console: Console, request: Request) -> Response:
    """The link from chat shows a sign-in button (a preview fetching it uses nothing up); the
    browser that opened it gets a cookie its button must bring back (no login CSRF)."""
    token = request.path_params["token"]
    nonce = secrets.token_urlsafe(24)
    html = console.render("login.html", request_locale(request), viewer=None, token=token,
                          nonce=nonce)
    response = HTMLResponse(html)
    response.set_cookie(
        LOGIN_COOKIE, nonce, max_age=int(LINK_PAGE_LENGTH.total_seconds()), path="/web/login",
        httponly=True, samesite="strict", secure=console.secure,
    )
    return response


async def _from_link_page(request: Request) -> bool:
    """Whether the sign-in POST comes from the page this browser opened (cookie = field)."""
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    given = (await request.form()).get("nonce")
    return bool(cookie) and isinstance(given, str) and hmac.compare_digest(
        given.encode(), cookie.encode())


async def use_link(console: Console, request: Request) -> Response:
    """Trade a one-time link for a session cookie; an expired or used link is refused."""
    token = request.path_params["token"]
    now = utc_now()
    if not await _from_link_page(request):  # a form on another site, or a link never opened
        return refusal_page(console, request, Refused(403, "link_browser"), None)

    async def work(store: Store) -> str | None:
        user_id = await store.web_sessions.use_link(token, now)
        if user_id is None:
            return None
        user = await store.users.get(user_id)
        if user is None or not may_use_console(with_config_role(user, console.config)):
            return None
        await store.audit.record(user.address, "web_login", now)
        return await store.web_sessions.open(user_id, now, SESSION_LENGTH)

    session = await console.db.run(work)
    if session is None:
        return refusal_page(console, request, Refused(403, "link"), None)
    response = RedirectResponse("/web/", status_code=303)
    response.delete_cookie(LOGIN_COOKIE, path="/web/login", httponly=True, samesite="strict",
                           secure=console.secure)
    response.set_cookie(
        COOKIE, session, max_age=int(SESSION_LENGTH.total_seconds()), path="/web",
        httponly=True, samesite="strict", secure=console.secure,
    )
    return response


async def logout(console: Console, request: Request, viewer: Viewer) -> Response:
    """End the session and forget the cookie."""
    now = utc_now()

    async def work(store: Store) -> None:
        await store.web_sessions.end(viewer.token, now)
        await store.audit.record(viewer.user.address, "web_logout", now)

    await console.db.run(work)
    response = RedirectResponse("/web/", status_code=303)
    response.delete_cookie(COOKIE, path="/web", httponly=True, samesite="strict",
                           secure=console.secure)
    return response


async def may_see_product(store: Store, viewer: Viewer, pid: int, province: str) -> bool:
    """An officer sees their province's products, an admin every one, a commune officer
    those of producers of their commune."""
    if not viewer.area.commune_only:
        return may_manage(viewer.user, province)
    product = await store.products.get(pid)
    producer = await store.users.producer(product.producer_id) if product else None
    return (producer is not None and province == viewer.area.province
            and place_key(producer.commune) == viewer.area.commune_key)
