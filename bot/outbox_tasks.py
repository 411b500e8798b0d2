"""Start the outbox senders (one per channel with a token) and the reminder scheduler."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.quiet import DailyCap, QuietHours
from bot.scheduler import Scheduler
from bot.sender import Sender, SendPolicy

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def send_policy(settings: Settings, rate: float, chat_interval: float) -> SendPolicy:
    """A channel's pacing with the shared retry, quiet-hours and daily-cap settings."""
    zone = ZoneInfo(settings.timezone)
    return SendPolicy(
        rate=rate,
        chat_interval=chat_interval,
        max_attempts=settings.outbox_max_attempts,
        backoff_base=settings.outbox_backoff_base,
        quiet=QuietHours(settings.quiet_start, settings.quiet_end, zone),
        cap=DailyCap(settings.daily_cap, zone),
        progress_interval=settings.progress_interval,
    )


def _transports(settings: Settings) -> list[tuple[Any, SendPolicy]]:
    found: list[tuple[Any, SendPolicy]] = []
    if settings.telegram_bot_token is not None:
        from bot.telegram_transport import TelegramTransport

        rate = settings.telegram_messages_per_second
        transport = TelegramTransport(
            settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url,
            pool_size=8 + int(rate) // 100,  # more connections only cost (httpcore scans them)
        )
        found.append((transport, send_policy(settings, rate, settings.telegram_chat_interval)))
    if settings.zalo_bot_token is not None:
        from bot.zalo_transport import ZaloTransport

        transport_z = ZaloTransport.from_token(
            settings.zalo_bot_token.get_secret_value(), settings.zalo_api_base_url
        )
        found.append((transport_z, send_policy(
            settings, settings.zalo_messages_per_second, settings.zalo_chat_interval
        )))
    return found


async def _run_sender(sender: Sender, transport: Any) -> None:
    await transport.start()
    try:
        await sender.run()
    finally:
        await transport.stop()


def outbox_tasks(core: Any) -> list[asyncio.Task[None]]:
    """Tasks for every channel's sender and for the scheduler (none without a channel)."""
    settings: Settings = core.settings
    tasks: list[asyncio.Task[None]] = []
    for transport, policy in _transports(settings):
        sender = Sender(core.db, transport, core.renderer, policy, clock=utc_now)
        tasks.append(asyncio.create_task(_run_sender(sender, transport),
                                         name=f"{transport.channel}-sender"))
    if tasks:
        scheduler = Scheduler(core.db, core.renderer, settings.handler_config(), clock=utc_now)
        tasks.append(asyncio.create_task(scheduler.run(), name="scheduler"))
    return tasks
