"""Invitations on the console: how many producers of the province are still unclaimed, invited
and claimed, and the button that prints their invitations (the same PDF as the command)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.cli.certified import province_code
from bot.web.context import Console, Viewer, utc_now
from handlers.claims.invitations import prepare


async def _province(console: Console, viewer: Viewer, typed: str) -> str | None:
    if viewer.scope is not None:
        return viewer.scope or None
    if not typed:
        return None
    async with console.db.reading() as store:
        return await province_code(store, typed)


async def page(console: Console, request: Request, viewer: Viewer,
               problem: str | None = None, status: int = 200) -> Response:
    """The funnel of the officer's province (or the country's) and the print button."""
    async with console.db.reading() as store:
        funnel = await store.claiming.funnel(viewer.scope)
    html = console.render("invitations.html", viewer.locale, viewer=viewer, funnel=funnel,
                          problem=problem, ready=bool(console.config.telegram_bot_username))
    return HTMLResponse(html, status_code=status)


async def pdf(console: Console, request: Request, viewer: Viewer,
              form: dict[str, str]) -> Response:
    """Draw codes for every unclaimed producer of the province and send the PDF to print."""
    username = console.config.telegram_bot_username
    if not username:
        return await page(console, request, viewer, "no_bot", 400)
    code = await _province(console, viewer, form.get("province", "").strip())
    if code is None:
        return await page(console, request, viewer, "province", 400)
    now = utc_now()
    zone = console.config.zone
    items = await console.db.run(
        lambda store: prepare(store, code, username, viewer.user.address, now, zone))
    if not items:
        return await page(console, request, viewer, "none", 200)
    from bot.sheets.invitations import PDF, invitations_pdf  # heavy (fpdf): when printed

    content = invitations_pdf(console.renderer, viewer.locale, items, now.astimezone(zone).date())
    return Response(content, media_type=PDF, headers={
        "Content-Disposition": f'attachment; filename="giay-moi-{code}.pdf"'})
