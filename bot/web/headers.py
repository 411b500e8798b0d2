"""What every console answer carries: a strict CSP, no framing, no sniffing, no referrer."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Every script and stylesheet is a file of bot/web/static; no page holds inline script or
# style, so none is allowed. The console is never framed (a framed dossier's buttons could be
# clicked through an overlay), and the sign-in link's token never leaves in a Referer.
POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """An ASGI wrapper adding HEADERS to every response of the app it wraps."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers as the response starts."""

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, sending)


def secured(routes: list[BaseRoute]) -> list[BaseRoute]:
    """The same routes, each answering with the security headers."""
    for route in routes:
        route.app = SecurityHeaders(route.app)  # type: ignore[attr-defined]
    return routes
