"""One ASGI app for both channels' webhooks (starlette), served by uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import uvicorn
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.channels.probe import Call, probe_forever
from bot.channels.webhook_check import TELEGRAM_PATH, ZALO_PATH, check_registered
from bot.channels.zalo_updates import unwrap
from bot.config import SettingProblem

if TYPE_CHECKING:
    from telegram import Bot

    from bot.channels.zalo_api import ZaloApi
    from bot.core import Core

log = logging.getLogger(__name__)

TELEGRAM_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ZALO_HEADER = "X-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000  # bytes; real updates are a few kilobytes

UpdateSink = Callable[[dict[str, Any]], Awaitable[object]]


@dataclass(frozen=True)
class Endpoint:
    """One channel's webhook: where updates go, the secret it must carry, how to read it."""

    channel: str
    sink: UpdateSink
    secret: str
    header: str
    parse: Callable[[Any], dict[str, Any] | None]


def telegram_update(body: Any) -> dict[str, Any] | None:
    """The body if it looks like a Telegram update (an int `update_id` and some content)."""
    if isinstance(body, dict) and isinstance(body.get("update_id"), int) and len(body) > 1:
        return body
    return None


def secret_matches(given: str | None, expected: str) -> bool:
    """Compare a webhook secret in constant time; a missing one never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _answer(status: int, **body: Any) -> JSONResponse:
    return JSONResponse({"ok": status == 200, **body}, status_code=status)


def _route(endpoint: Endpoint) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def receive(request: Request) -> JSONResponse:
        """Check the secret, read the update, hand it to the channel, answer 200."""
        if not secret_matches(request.headers.get(endpoint.header), endpoint.secret):
            log.warning("%s webhook: wrong or missing secret, refused", endpoint.channel)
            return _answer(403, description="forbidden")
        declared = request.headers.get("content-length", "0")
        if declared.isdigit() and int(declared) > MAX_BODY:
            return _answer(413, description="too large")
        raw = await request.body()
        try:
            update = endpoint.parse(json.loads(raw)) if len(raw) <= MAX_BODY else None
        except (ValueError, UnicodeDecodeError):
            update = None
        if update is None:
            log.warning("%s webhook: body is not an update (%d bytes)", endpoint.channel, len(raw))
            return _answer(400, description="not an update")
        try:
            await endpoint.sink(update)
        except Exception:
            log.exception("%s webhook: update failed", endpoint.channel)
            return _answer(500, description="internal error")
        return _answer(200)

    return receive


def build_app(
    *,
    telegram: UpdateSink | None = None,
    telegram_secret: str | None = None,
    zalo: UpdateSink | None = None,
    zalo_secret: str | None = None,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The webhook app: `/telegram/webhook`, `/zalo/webhook` (where configured), `/healthz`,
    and any extra routes (the officers' web console)."""
    endpoints: list[tuple[str, Endpoint]] = []
    if telegram is not None:
        if not telegram_secret:
            raise SettingProblem("the Telegram webhook needs TELEGRAM_WEBHOOK_SECRET",
                                 "secret_missing", variable="TELEGRAM_WEBHOOK_SECRET")
        endpoints.append(
            (TELEGRAM_PATH,
             Endpoint("telegram", telegram, telegram_secret, TELEGRAM_HEADER, telegram_update))
        )
    if zalo is not None:
        if not zalo_secret:
            raise SettingProblem("the Zalo webhook needs ZALO_WEBHOOK_SECRET",
                                 "secret_missing", variable="ZALO_WEBHOOK_SECRET")
        endpoints.append((ZALO_PATH, Endpoint("zalo", zalo, zalo_secret, ZALO_HEADER, unwrap)))
    channels = [endpoint.channel for _, endpoint in endpoints]

    async def healthz(request: Request) -> JSONResponse:
        """Say the process is up and which channels it serves."""
        return _answer(200, channels=channels)

    routes: list[BaseRoute] = [
        Route(path, _route(endpoint), methods=["POST"]) for path, endpoint in endpoints
    ]
    if not any(getattr(route, "path", None) == "/healthz" for route in extra_routes):
        routes.append(Route("/healthz", healthz, methods=["GET"]))
    routes.extend(extra_routes)
    return Starlette(routes=routes)


@contextlib.asynccontextmanager
async def serving(app: Starlette, host: str, port: int) -> AsyncIterator[int]:
    """Serve `app` with uvicorn while the block runs; yields the port (0 = the OS picks)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:  # a port in use, an address not on this machine: a setting
        sock.close()
        raise SettingProblem(f"cannot listen on {host}:{port} ({error.strerror})",
                             "cannot_listen", address=f"{host}:{port}") from None
    bound = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name="webhook-server")
    try:
        while not server.started:
            if task.done():
                await task  # raises what went wrong
                raise RuntimeError("the webhook server stopped at start-up")
            await asyncio.sleep(0.01)
        log.info("webhooks listening on %s:%d", host, bound)
        yield bound
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sock.close()


async def serve_forever(app: Starlette, host: str, port: int) -> None:
    """Serve the webhook app until cancelled."""
    async with serving(app, host, port):
        await asyncio.Event().wait()


async def run_webhooks(core: Core, extra_routes: Sequence[BaseRoute] = ()) -> None:
    """Production mode: both channels receive updates through this one web server (with the
    officers' web console when it is turned on)."""
    settings = core.settings
    for token, secret, name in (
        (settings.telegram_bot_token, settings.telegram_webhook_secret, "TELEGRAM"),
        (settings.zalo_bot_token, settings.zalo_webhook_secret, "ZALO"),
    ):
        if token is not None and not _secret(secret):  # checked before connecting anywhere
            raise SettingProblem(f"webhook mode needs {name}_WEBHOOK_SECRET",
                                 "secret_missing", variable=f"{name}_WEBHOOK_SECRET")
    telegram: UpdateSink | None = None
    zalo: UpdateSink | None = None
    telegram_bot: Bot | None = None
    zalo_client: ZaloApi | None = None
    async with contextlib.AsyncExitStack() as stack:
        if settings.telegram_bot_token is not None:
            from bot.channels.telegram import TelegramChannel

            channel = TelegramChannel(core)
            await channel.start(polling=False)
            stack.push_async_callback(channel.stop)
            telegram = _noted(core, "telegram", channel.process_update)
            telegram_bot = channel.app.bot
        if settings.zalo_bot_token is not None:
            from bot.channels.zalo import ZaloBot
            from bot.channels.zalo_quota import meter_for, zalo_api

            meter = meter_for(core)
            await meter.usage()  # the month's figure so far: "typing…" stops near the quota
            api = zalo_client = zalo_api(core, meter)
            stack.push_async_callback(api.aclose)
            zalo = _noted(core, "zalo", ZaloBot(core.dispatcher, core.renderer, api,
                                                typing_allowed=meter.typing_allowed,
                                                on_quota=meter.used_up,
                                                health=core.health).handle_update)
        app = build_app(
            telegram=telegram,
            telegram_secret=_secret(settings.telegram_webhook_secret),
            zalo=zalo,
            zalo_secret=_secret(settings.zalo_webhook_secret),
            extra_routes=extra_routes,
        )
        log.info("webhook mode: %s, behind %s", ", ".join(
            name for name, sink in (("telegram", telegram), ("zalo", zalo)) if sink
        ), settings.webhook_base_url)
        await check_registered(settings.webhook_base_url or "", telegram_bot, zalo_client)
        calls = _probes(telegram_bot, zalo_client)
        probes = asyncio.create_task(probe_forever(core.health, calls))
        stack.push_async_callback(_cancelled, probes)
        await serve_forever(app, settings.webhook_host, settings.webhook_port)


def _noted(core: Core, channel: str, sink: UpdateSink) -> UpdateSink:
    """`sink`, noting in the health check when each update came in."""

    async def noted(update: dict[str, Any]) -> object:
        core.health.webhook_received(channel)
        return await sink(update)

    return noted


def _probes(telegram: Bot | None, zalo: ZaloApi | None) -> dict[str, Call]:
    """Each connected channel's cheap call for the health check (getMe)."""
    calls: dict[str, Call] = {}
    if telegram is not None:
        calls["telegram"] = telegram.get_me
    if zalo is not None:
        calls["zalo"] = zalo.get_me
    return calls


async def _cancelled(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
