"""Start the outbox senders (one per channel with a token) and the reminder scheduler."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.leader import Leadership
from bot.outbox.policy import SendGate, SendPolicy
from bot.outbox.quiet import DailyCap, QuietHours
from bot.outbox.scheduler import Scheduler
from bot.outbox.sender import Sender
from bot.outbox.shared_pace import SharedSlots
from bot.outbox.terminal import TerminalTransport
from bot.outbox.transport import Transport

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def send_policy(settings: Settings, rate: float, chat_interval: float) -> SendPolicy:
    """A channel's pacing with the shared retry, quiet-hours and daily-cap settings."""
    zone = ZoneInfo(settings.timezone)
    return SendPolicy(
        lease=settings.outbox_lease,
        rate=rate,
        chat_interval=chat_interval,
        backoff_base=settings.outbox_backoff_base,
        backoff_max=settings.outbox_backoff_max,
        quiet=QuietHours(settings.quiet_start, settings.quiet_end, zone),
        cap=DailyCap(settings.daily_cap, zone),
        progress_interval=settings.progress_interval,
    )


def channels(settings: Settings) -> list[str]:
    """The channels that have a token, hence an outbox sender."""
    tokens = (("telegram", settings.telegram_bot_token), ("zalo", settings.zalo_bot_token))
    return [name for name, token in tokens if token is not None]


def _transport(settings: Settings, channel: str) -> tuple[Transport, SendPolicy]:
    """A fresh transport for one channel, and that channel's pacing policy."""
    if channel == "telegram":
        from bot.outbox.telegram import TelegramTransport

        assert settings.telegram_bot_token is not None
        rate = settings.telegram_messages_per_second
        telegram = TelegramTransport(
            settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url,
            pool_size=8 + int(rate) // 100,  # more connections only cost (httpcore scans them)
        )
        return telegram, send_policy(settings, rate, settings.telegram_chat_interval)
    raise ValueError(f"no outbox transport for {channel}")


async def run_sender(core: Core, channel: str) -> None:
    """Open one channel's transport and drain its outbox until cancelled.

    Zalo's sender counts its sends against the month's quota and holds back when it is low.
    """
    gate: SendGate | None = None
    if channel == "zalo":
        from bot.channels.zalo_quota import meter_for, zalo_api
        from bot.outbox.zalo import ZaloTransport
        from bot.outbox.zalo_gate import ZaloGate

        meter = meter_for(core)
        gate = ZaloGate(meter)
        settings = core.settings
        transport: Transport = ZaloTransport(zalo_api(core, meter), meter=meter)
        policy = send_policy(settings, settings.zalo_messages_per_second,
                             settings.zalo_chat_interval)
    else:
        transport, policy = _transport(core.settings, channel)
    # Several workers on one server: the channel's rate is shared through the database.
    shared = SharedSlots(core.db, channel, policy.rate) if several(core) else None
    lead = Leadership(core.db, f"{channel}-progress", core.worker,
                      lease=core.settings.leader_lease,
                      health=core.health) if several(core) else None
    await transport.start()
    try:
        await Sender(core.db, transport, core.renderer, policy, clock=utc_now, gate=gate,
                     health=core.health, worker=core.worker, shared=shared, lead=lead).run()
    finally:
        await transport.stop()


async def run_scheduler(core: Core) -> None:
    """Queue due reminders once a minute until cancelled (on a shared server, on the one
    worker that holds the scheduler's lease)."""
    config = core.settings.handler_config()
    scheduler = Scheduler(core.db, core.renderer, config, clock=utc_now, features=core.features)
    if several(core):
        await Leadership(core.db, "scheduler", core.worker, lease=core.settings.leader_lease,
                         health=core.health).run(scheduler.run)
    else:
        await scheduler.run()


def several(core: Core) -> bool:
    """Whether other workers may share the database (PostgreSQL; SQLite has one process)."""
    return core.db.engine == "postgresql"


def outbox_parts(core: Core) -> list[tuple[str, Callable[[], Coroutine[object, object, None]]]]:
    """A sender for every channel with a token, and the scheduler (for `supervise`)."""
    parts: list[tuple[str, Callable[[], Coroutine[object, object, None]]]] = [
        (f"{channel}-sender", partial(run_sender, core, channel))
        for channel in channels(core.settings)
    ]
    if parts:
        parts.append(("scheduler", partial(run_scheduler, core)))
    return parts


async def run_terminal_sender(core: Core, out: TextIO, user_id: str) -> None:
    """Show the terminal account's outbox rows in the running chat until cancelled.

    Quiet hours do not hold them back: the person at the terminal is watching the chat and
    no phone rings at night; opting out and the daily cap still apply, as on every channel.
    """
    settings = core.settings
    async with core.db.reading() as store:
        user = await store.users.find("terminal", user_id)
    heading = core.renderer.label(user.locale if user else "vi", "terminal.notice")
    zone = ZoneInfo(settings.timezone)
    policy = SendPolicy(
        rate=10.0,
        chat_interval=0.0,
        backoff_base=settings.outbox_backoff_base,
        backoff_max=settings.outbox_backoff_max,
        quiet=QuietHours(settings.quiet_start, settings.quiet_start, zone),  # never quiet
        cap=DailyCap(settings.daily_cap, zone),
        progress_interval=settings.progress_interval,
    )
    transport = TerminalTransport(out, heading)
    await Sender(core.db, transport, core.renderer, policy, clock=utc_now,
                 only_chat=user_id).run()


def terminal_parts(
    core: Core, out: TextIO, user_id: str
) -> list[tuple[str, Callable[[], Coroutine[object, object, None]]]]:
    """The terminal chat's sender and the reminder scheduler (for `supervise`)."""
    return [
        ("terminal-sender", partial(run_terminal_sender, core, out, user_id)),
        ("scheduler", partial(run_scheduler, core)),
    ]
