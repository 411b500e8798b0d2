"""Wiring the console into `ocop-bot run`: its shared parts from the core, photos from chat."""

from __future__ import annotations

import logging

from starlette.routing import BaseRoute

from bot.channels.zalo_quota import plan_of
from bot.core import Core
from bot.web.app import web_routes
from bot.web.context import Console
from bot.web.photos import PhotoFetcher, chat_photos, telegram_photos, zalo_photos

log = logging.getLogger(__name__)


def console_of(core: Core) -> Console | None:
    """The console for this process, or None (with one log line) when it is turned off."""
    settings = core.settings
    if not settings.web_base_url:
        log.info("web console: off; set OCOP_WEB_BASE_URL (and OCOP_WEB_HOST, OCOP_WEB_PORT, "
                 "default 127.0.0.1:8080) to turn it on (with no token it is on by itself)")
        return None
    token = settings.telegram_bot_token
    fetchers: list[PhotoFetcher] = [zalo_photos()]
    if token is not None:
        fetchers.append(telegram_photos(settings.telegram_api_base_url, token.get_secret_value()))
    fetch = chat_photos(*fetchers)
    return Console(
        db=core.db, renderer=core.renderer, config=settings.handler_config(),
        secure=settings.web_base_url.startswith("https://"), fetch_photo=fetch,
        zalo_plan=plan_of(settings) if settings.zalo_bot_token is not None else None,
    )


def console_pages(core: Core) -> list[BaseRoute]:
    """The console's routes for `ocop-bot run`, or none when it is turned off."""
    console = console_of(core)
    return web_routes(console) if console is not None else []
