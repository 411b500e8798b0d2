"""Dossier photos fetched from the chat channel they were sent on, for the console to relay."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import httpx

log = logging.getLogger(__name__)

PhotoFetcher = Callable[[str, str], Awaitable[tuple[bytes, str] | None]]
MAX_PHOTO = 20 * 1024 * 1024
TIMEOUT = 15.0
_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def image_type(content: bytes) -> str | None:
    """JPEG, PNG or WebP as the bytes themselves say (never the sender's word); else None."""
    for signature, mime in _SIGNATURES:
        if content.startswith(signature):
            return mime
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


async def _download(client: httpx.AsyncClient, url: str, limit: int) -> tuple[bytes, str] | None:
    """The image at a URL, or None when it is missing or over the size limit."""
    async with client.stream("GET", url) as got:
        if got.status_code != 200:
            return None
        declared = got.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return None
        content = bytearray()
        async for chunk in got.aiter_bytes():
            content.extend(chunk)
            if len(content) > limit:
                return None
    mime = image_type(bytes(content))  # an SVG or HTML "photo" must not run in the console
    return (bytes(content), mime) if mime else None


def telegram_photos(api_base_url: str, token: str, *, limit: int = MAX_PHOTO,
                    timeout: float = TIMEOUT) -> PhotoFetcher:
    """Fetch a Telegram photo by its file id (getFile, then the file URL)."""
    file_base = api_base_url[: -len("/bot")] + "/file/bot" if api_base_url.endswith("/bot") \
        else api_base_url.replace("/bot", "/file/bot")

    async def fetch(channel: str, file_id: str) -> tuple[bytes, str] | None:
        if channel != "telegram":
            return None
        try:
            async with httpx.AsyncClient(timeout=timeout) as client:
                info = await client.get(f"{api_base_url}{token}/getFile",
                                        params={"file_id": file_id})
                path = info.json().get("result", {}).get("file_path")
                if not path:
                    return None
                return await _download(client, f"{file_base}{token}/{path}", limit)
        except (httpx.HTTPError, ValueError):
            log.warning("a product photo could not be fetched from Telegram")
            return None

    return fetch


def zalo_photos(*, limit: int = MAX_PHOTO, timeout: float = TIMEOUT) -> PhotoFetcher:
    """Fetch a Zalo photo: Zalo gives each photo as a URL, kept as the photo's file id."""

    async def fetch(channel: str, file_id: str) -> tuple[bytes, str] | None:
        if channel != "zalo" or not file_id.startswith(("https://", "http://")):
            return None
        try:
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
                # the whole download within the time limit, however slowly it trickles in
                return await asyncio.wait_for(_download(client, file_id, limit), timeout)
        except (httpx.HTTPError, TimeoutError):
            log.warning("a product photo could not be fetched from Zalo")
            return None

    return fetch


def chat_photos(*fetchers: PhotoFetcher) -> PhotoFetcher:
    """One fetcher for every channel: the first that knows the photo's channel answers."""

    async def fetch(channel: str, file_id: str) -> tuple[bytes, str] | None:
        for fetcher in fetchers:
            found = await fetcher(channel, file_id)
            if found is not None:
                return found
        return None

    return fetch
