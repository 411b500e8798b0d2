"""Wiring the console into `ocop-bot run`: its shared parts from the core, photos from chat."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import httpx
from starlette.routing import BaseRoute

from bot.core import Core
from bot.web.app import web_routes
from bot.web.context import Console

log = logging.getLogger(__name__)

PhotoFetcher = Callable[[str, str], Awaitable[tuple[bytes, str] | None]]
MAX_PHOTO = 20 * 1024 * 1024


def telegram_photos(api_base_url: str, token: str) -> PhotoFetcher:
    """Fetch a Telegram photo by its file id (getFile, then the file URL)."""
    file_base = api_base_url[: -len("/bot")] + "/file/bot" if api_base_url.endswith("/bot") \
        else api_base_url.replace("/bot", "/file/bot")

    async def fetch(channel: str, file_id: str) -> tuple[bytes, str] | None:
        if channel != "telegram":
            return None
        try:
            async with httpx.AsyncClient(timeout=15) as client:
                info = await client.get(f"{api_base_url}{token}/getFile",
                                        params={"file_id": file_id})
                path = info.json().get("result", {}).get("file_path")
                if not path:
                    return None
                got = await client.get(f"{file_base}{token}/{path}")
        except (httpx.HTTPError, ValueError):
            log.warning("a product photo could not be fetched from Telegram")
            return None
        if got.status_code != 200 or len(got.content) > MAX_PHOTO:
            return None
        mime = got.headers.get("content-type", "image/jpeg")
        return got.content, mime if mime.startswith("image/") else "image/jpeg"

    return fetch


def console_of(core: Core) -> Console | None:
    """The console for this process, or None (with one log line) when it is turned off."""
    settings = core.settings
    if not settings.web_base_url:
        log.info("web console: off; set OCOP_WEB_BASE_URL (and OCOP_WEB_HOST, OCOP_WEB_PORT, "
                 "default 127.0.0.1:8080) to turn it on")
        return None
    token = settings.telegram_bot_token
    fetch = telegram_photos(settings.telegram_api_base_url, token.get_secret_value()) \
        if token is not None else None
    return Console(
        db=core.db, renderer=core.renderer, config=settings.handler_config(),
        secure=settings.web_base_url.startswith("https://"), fetch_photo=fetch,
    )


def console_pages(core: Core) -> list[BaseRoute]:
    """The console's routes for `ocop-bot run`, or none when it is turned off."""
    console = console_of(core)
    return web_routes(console) if console is not None else []
