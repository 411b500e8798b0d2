"""The console's routes: every page checks the session, every form its CSRF token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.web import (
    auth,
    broadcasts,
    certified,
    chart,
    commune_check,
    communes,
    criteria,
    dates,
    events,
    invitations,
    products,
    records,
    results,
    trainings,
)
from bot.web.auth import Refused
from bot.web.context import Console, Viewer
from bot.web.headers import secured

STATIC = Path(__file__).parent / "static"

Page = Callable[[Console, Request, Viewer], Awaitable[Response]]
FormPage = Callable[[Console, Request, Viewer, dict[str, str]], Awaitable[Response]]


def _allowed(viewer: Viewer, admin: bool, commune: bool) -> None:
    """Refuse an admin's page to others, and a province's page to a commune officer."""
    if viewer.area.commune_only and not commune:
        raise Refused(403, "province_only")
    if admin and not viewer.admin:
        raise Refused(403, "forbidden")


def _page(console: Console, page: Page, *, admin: bool = False, commune: bool = False
          ) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        viewer = await auth.viewer_of(console, request)
        if viewer is None:
            return auth.login_page(console, request)
        try:
            _allowed(viewer, admin, commune)
            return await page(console, request, viewer)
        except Refused as refused:
            return auth.refusal_page(console, request, refused, viewer)

    return endpoint


def _form(console: Console, page: FormPage, *, admin: bool = False, commune: bool = False
          ) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        viewer = await auth.viewer_of(console, request)
        if viewer is None:
            return auth.login_page(console, request)
        try:
            form = await auth.check_csrf(viewer, request)
            _allowed(viewer, admin, commune)
            return await page(console, request, viewer, form)
        except Refused as refused:
            return auth.refusal_page(console, request, refused, viewer)

    return endpoint


def web_routes(console: Console) -> list[BaseRoute]:
    """Every route of the console, under /web, each answering with the security headers."""

    async def link_page(request: Request) -> Response:
        return await auth.link_page(console, request)

    async def use_link(request: Request) -> Response:
        return await auth.use_link(console, request)

    async def logout(console: Console, request: Request, viewer: Viewer,
                     form: dict[str, str]) -> Response:
        return await auth.logout(console, request, viewer)

    async def nowhere(request: Request) -> Response:
        return auth.refusal_page(console, request, Refused(404, "not_found"), None)

    get, post = ["GET"], ["POST"]
    return secured([
        Route("/web/login/{token}", link_page, methods=get),
        Route("/web/login/{token}", use_link, methods=post),
        Route("/web/logout", _form(console, logout, commune=True), methods=post),
        Route("/web/", _page(console, commune_check.home, commune=True), methods=get),
        Route("/web/chart.png", _page(console, chart.image), methods=get),
        Route("/web/dates", _page(console, dates.understood, commune=True), methods=get),
        Route("/web/products", _page(console, products.listing), methods=get),
        Route("/web/products.xlsx", _page(console, products.export), methods=get),
        Route("/web/products/{pid:int}", _page(console, products.dossier, commune=True),
              methods=get),
        Route("/web/products/{pid:int}/photo/{n:int}",
              _page(console, products.photo, commune=True), methods=get),
        Route("/web/products/{pid:int}/item/{code}",
              _page(console, products.item_file, commune=True), methods=get),
        Route("/web/products/{pid:int}/decide", _form(console, products.decide), methods=post),
        Route("/web/products/{pid:int}/revoke", _form(console, products.revoke_form),
              methods=post),
        Route("/web/products/{pid:int}/code", _form(console, products.code_form),
              methods=post),
        Route("/web/communes", _page(console, communes.page, commune=True), methods=get),
        Route("/web/products/{pid:int}/commune", _form(console, commune_check.act, commune=True),
              methods=post),
        Route("/web/results", _page(console, results.page), methods=get),
        Route("/web/results/template.xlsx", _page(console, results.template), methods=get),
        Route("/web/results/preview", _form(console, results.preview), methods=post),
        Route("/web/results/confirm", _form(console, results.confirm), methods=post),
        Route("/web/certified", _page(console, certified.page), methods=get),
        Route("/web/certified/upload", _form(console, certified.upload), methods=post),
        Route("/web/certified/preview", _form(console, certified.preview), methods=post),
        Route("/web/certified/confirm", _form(console, certified.confirm), methods=post),
        Route("/web/certified/refused/{key}.xlsx", _page(console, certified.refused_file),
              methods=get),
        Route("/web/invitations", _page(console, invitations.page), methods=get),
        Route("/web/invitations", _form(console, invitations.pdf), methods=post),
        Route("/web/broadcasts", _page(console, broadcasts.page), methods=get),
        Route("/web/broadcasts/reach", _page(console, broadcasts.reach), methods=get),
        Route("/web/broadcasts/preview", _form(console, broadcasts.preview), methods=post),
        Route("/web/broadcasts/send", _form(console, broadcasts.send), methods=post),
        Route("/web/broadcasts/{bid:int}", _page(console, broadcasts.report), methods=get),
        Route("/web/rounds", _page(console, events.rounds), methods=get),
        Route("/web/rounds", _form(console, events.create_round), methods=post),
        Route("/web/rounds/{rid:int}/dates", _form(console, events.change_dates),
              methods=post),
        Route("/web/rounds/{rid:int}/cancel", _form(console, events.cancel_a_round),
              methods=post),
        Route("/web/trainings", _page(console, trainings.page), methods=get),
        Route("/web/trainings", _form(console, trainings.create), methods=post),
        Route("/web/trainings/{tid:int}/change", _form(console, trainings.change),
              methods=post),
        Route("/web/trainings/{tid:int}", _page(console, events.attendance), methods=get),
        Route("/web/trainings/{tid:int}/cancel", _form(console, events.cancel_a_training),
              methods=post),
        Route("/web/audit", _page(console, records.audit, admin=True), methods=get),
        Route("/web/criteria", _page(console, criteria.page, admin=True), methods=get),
        Route("/web/criteria", _form(console, criteria.upload, admin=True), methods=post),
        Route("/web/products/{pid:int}/self-assessment.docx",
              _page(console, criteria.report, commune=True), methods=get),
        Route("/web/products/{pid:int}/self-assessment.xlsx",
              _page(console, criteria.sheet, commune=True), methods=get),
        Route("/web/officers", _page(console, records.officers, admin=True), methods=get),
        Route("/web/officers/invite", _form(console, records.invite, admin=True),
              methods=post),
        Route("/web/officers/{uid:int}/revoke", _form(console, records.revoke, admin=True),
              methods=post),
        Mount("/web/static", app=StaticFiles(directory=STATIC), name="web-static"),
        Route("/web/{rest:path}", nowhere, methods=["GET", "POST"]),  # with the headers too
    ])
