"""`/healthz` (is every part alive?) and `/metrics` (Prometheus), served in every mode."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.health import Health
from storage import Store

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

STALE_AFTER = 120.0  # seconds without a claim (sender) or a successful call: something hangs


def _part(health: Health, moment: float | None, limit: float) -> dict[str, Any]:
    """One part's state: when it last succeeded, how long ago, and whether that is too long."""
    age = health.age(moment)
    since_start = health.age(health.started) or 0.0
    stale = age > limit if age is not None else since_start > limit
    return {"ok": not stale, "age_seconds": None if age is None else round(age, 1)}


def _channel(health: Health, name: str, limit: float, polling: bool) -> dict[str, Any]:
    """A channel's state: its last successful call judged, and what else is known of it."""
    if polling and name in health.standby:  # another worker polls it for now: no calls here
        limit = float("inf")
    part = _part(health, health.last_call.get(name), limit)
    if name in health.last_error:
        part["error"] = health.last_error[name]
    if not polling:
        webhook = health.age(health.last_webhook.get(name))
        part["webhook_age_seconds"] = None if webhook is None else round(webhook, 1)
    return part


def _channels(core: Core) -> list[str]:
    settings = core.settings
    return [name for name, token in (("telegram", settings.telegram_bot_token),
                                     ("zalo", settings.zalo_bot_token)) if token is not None]


async def report(core: Core, limit: float = STALE_AFTER) -> dict[str, Any]:
    """Every part's state, and `ok` only if all of them are fresh."""
    health = core.health
    now = datetime.now(UTC)
    database: dict[str, Any] = {"ok": True}
    async def probe(store: Store) -> int:
        await store.outbox_health.probe(now)
        return await store.outbox_health.backlog(now)

    try:
        if core.db.engine == "postgresql":  # other workers probe too: rerun after a conflict
            backlog = await core.db.run(probe)
        else:  # a lock held too long fails the check at once
            async with core.db.transaction() as store:
                backlog = await probe(store)
        health.backlog.set(backlog)
        database["backlog"] = backlog
    except Exception as error:  # a full disk, a read-only file, a lock held too long
        log.warning("health check: the database cannot be written (%s)", error)
        database = {"ok": False, "error": type(error).__name__}
    polling = not core.settings.webhook_base_url
    # Polling calls the platform every *_POLL_TIMEOUT seconds; in webhook mode a getMe probe
    # calls it every minute (bot.channels.probe): in both, a channel is fresh while its last
    # successful call is younger than `limit`, quiet or not.
    channels = {name: _channel(health, name, limit, polling) for name in _channels(core)}
    senders = {name: _part(health, health.last_claim.get(name), limit)
               for name in _channels(core)}
    ok = database["ok"] and all(p["ok"] for p in (*channels.values(), *senders.values()))
    return {"ok": ok, "database": database, "channels": channels, "senders": senders,
            "mode": "polling" if polling else "webhook"}


def health_routes(core: Core) -> list[BaseRoute]:
    """`GET /healthz` (200 or 503) and `GET /metrics`."""

    async def healthz(request: Request) -> JSONResponse:
        """200 when every part is fresh, else 503, with each part's state."""
        body = await report(core)
        return JSONResponse(body, status_code=200 if body["ok"] else 503)

    async def metrics(request: Request) -> Response:
        """The Prometheus text format."""
        await report(core)  # refreshes the backlog gauge
        core.health.database_use(core.db)
        return Response(generate_latest(core.health.registry), media_type=CONTENT_TYPE_LATEST)

    return [Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"])]
