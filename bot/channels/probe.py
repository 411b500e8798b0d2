"""In webhook mode nothing calls a platform while people are quiet: a cheap `getMe` per
channel, once a minute, keeps each channel's last successful call fresh, so `/healthz` can
judge it as in polling mode. A platform that refuses or cannot be reached stops refreshing
it, and `/healthz` turns 503 once the last success is older than its limit."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.health import Health

log = logging.getLogger(__name__)

PROBE_EVERY = 60.0  # seconds between two getMe calls; /healthz's limit is twice that

Call = Callable[[], Awaitable[Any]]


async def probe_once(health: Health, calls: dict[str, Call], failing: set[str]) -> None:
    """Call each channel's getMe; a success counts as the channel's last successful call.

    `failing` holds the channels whose last probe failed: a failure is logged when it
    starts and when it ends, not once a minute.
    """
    for channel, call in calls.items():
        try:
            await call()
        except Exception as error:  # the platform's own errors, timeouts, refused connections
            health.probe_failed(channel, type(error).__name__)
            if channel not in failing:
                log.warning("%s: getMe failed (%s); /healthz turns 503 if this lasts",
                            channel, type(error).__name__)
            failing.add(channel)
            continue
        health.channel_ok(channel)
        if channel in failing:
            log.info("%s: getMe answers again", channel)
            failing.discard(channel)


async def probe_forever(health: Health, calls: dict[str, Call],
                        every: float = PROBE_EVERY) -> None:
    """Probe every channel now and then every `every` seconds, until cancelled."""
    failing: set[str] = set()
    while True:
        await probe_once(health, calls, failing)
        await asyncio.sleep(every)
