"""Zalo's monthly quota as a resource the bot manages: count, warn, keep urgent first, pause.

A Zalo Bot plan allows so many messages a month (a free plan was measured at 3 000); every
call that shows in a chat counts, "typing…" too. The meter counts the calls Zalo accepted in
the database, per local month, so that the chat, the outbox sender and the operator's
commands see one figure. It tells the admins once at 80 % and once at 95 %; from 80 % it
stops showing "typing…", and from the reserve on (95 % by default) the sender only sends
urgent messages. When Zalo answers 429 "Quota exceeded", sends pause until the month renews
(or for a set time), and the admins are told once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.channels.zalo_api import ZaloApi
from handlers.common.notify import channel_format
from messages import Renderer
from storage import Database, Store
from storage.channel_usage import ChannelUsage
from storage.models import Role
from storage.outbox_models import OutboxMessage

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core import Core

log = logging.getLogger(__name__)

CHANNEL = "zalo"
WARN_AT = (80, 95)  # percent of the plan at which the admins are told
TYPING_UNTIL = 80  # percent: "typing…" is shown below this only


@dataclass(frozen=True)
class QuotaPlan:
    """The plan's limit and what to do near it."""

    limit: int  # messages a month; 0: unknown, count only
    zone: ZoneInfo
    pause: timedelta | None = None  # after a 429; None: until the month renews
    urgent_from: int = 95  # percent from which only urgent messages go

    def month(self, now: datetime) -> str:
        """The plan's month of `now`, as "2026-12" (local time)."""
        return now.astimezone(self.zone).strftime("%Y-%m")

    def next_month(self, now: datetime) -> datetime:
        """When the plan renews: the first day of the next local month, 00:00, in UTC."""
        local = now.astimezone(self.zone).date().replace(day=1)
        first = (local + timedelta(days=32)).replace(day=1)
        return datetime.combine(first, time(0), tzinfo=self.zone).astimezone(UTC)

    def shown(self, usage: ChannelUsage, now: datetime) -> dict[str, object]:
        """What the `zalo/quota_used` line shows: used / limit in month, and a pause."""
        paused = usage.paused_at(now)
        month = now.astimezone(self.zone).strftime("%m/%Y")
        return {"used": usage.used, "limit": self.limit, "month": month, "paused_until": paused}

    def percent(self, used: int) -> int:
        """How much of the plan `used` is, in whole percent (0 when the limit is unknown)."""
        return used * 100 // self.limit if self.limit > 0 else 0


@dataclass(frozen=True)
class Admission:
    """What the sender may send now."""

    paused_until: datetime | None  # nothing before then
    urgent_only: bool  # little is left: urgent messages only


class QuotaMeter:
    """Counts Zalo's counted calls per month in the database and acts on the totals."""

    def __init__(
        self,
        db: Database,
        renderer: Renderer,
        plan: QuotaPlan,
        admins: frozenset[str] = frozenset(),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db, self.renderer, self.plan = db, renderer, plan
        self.admins = admins  # "channel:id" addresses from the settings
        self.clock = clock
        self._used = 0  # the last total seen, for the typing decision (no database read)
        self._paused_until: datetime | None = None  # the last pause seen

    async def count(self, method: str) -> None:
        """Count one call Zalo accepted (the ZaloApi hook); warn the admins at a threshold."""
        now = self.clock()
        month = self.plan.month(now)

        async def add(store: Store) -> None:
            usage = await store.channel_usage.add(CHANNEL, month, 1, now)
            used = self._used = usage.used
            self._paused_until = usage.paused_until  # lifted by hand (`outbox resume`)?
            for level in WARN_AT:
                if self.plan.percent(used) >= level > self.plan.percent(used - 1):
                    await self._tell_admins(store, f"warn{level}", "zalo/quota_warning", now,
                                            used=used, percent=level,
                                            urgent_only=level >= self.plan.urgent_from)

        await self.db.run(add)

    def typing_allowed(self) -> bool:
        """Whether "typing…" may still be shown (below 80 % of the plan, and not paused)."""
        paused = self._paused_until is not None and self._paused_until > self.clock()
        return not paused and self.plan.percent(self._used) < TYPING_UNTIL

    async def used_up(self) -> datetime:
        """Zalo said 429 to a chat reply: pause and tell, as `exceeded` does, now."""
        return await self.exceeded(self.clock())

    async def usage(self, now: datetime | None = None) -> ChannelUsage:
        """This month's use."""
        now = now or self.clock()
        async with self.db.reading() as store:
            usage = await store.channel_usage.get(CHANNEL, self.plan.month(now))
        self._used, self._paused_until = usage.used, usage.paused_until
        return usage

    async def admission(self, now: datetime) -> Admission:
        """Whether the sender may send now, and only urgent messages or all."""
        usage = await self.usage(now)
        paused = usage.paused_at(now)
        urgent_only = self.plan.percent(usage.used) >= self.plan.urgent_from > 0
        return Admission(paused_until=paused, urgent_only=urgent_only)

    async def exceeded(self, now: datetime) -> datetime:
        """Zalo said 429: pause sends, move what waits to linked Telegram accounts, tell the
        admins (once a month); returns when sending may resume."""
        until = now + self.plan.pause if self.plan.pause else self.plan.next_month(now)
        month = self.plan.month(now)

        async def pause(store: Store) -> None:
            if not await store.channel_usage.pause(CHANNEL, month, until, now):
                return
            usage = await store.channel_usage.get(CHANNEL, month)
            moved = await store.outbox.move_to_linked(CHANNEL, "telegram", now)
            log.warning("zalo quota used up (%d counted this month); paused until %s; "
                        "%d messages moved to Telegram", usage.used, until, moved)
            await self._tell_admins(store, "exhausted", "zalo/quota_exhausted", now,
                                    used=usage.used, paused_until=until, moved=moved)

        await self.db.run(pause)
        self._paused_until = until
        return until

    async def _tell_admins(self, store: Store, what: str, template: str, now: datetime,
                           **context: object) -> None:
        """Queue one urgent notice per admin account (OCOP_ADMINS and those granted admin);
        its key makes it once a month."""
        month = self.plan.month(now)
        shown = now.astimezone(self.plan.zone).strftime("%m/%Y")
        admins = {u.id: u for u in await store.users.staff() if u.role is Role.ADMIN}
        for address in sorted(self.admins):
            channel, _, external = address.partition(":")
            found = await store.users.find(channel, external)
            if found is not None:  # else: never wrote to the bot, no chat to write to
                admins[found.id] = found
        for user in admins.values():
            fmt = channel_format(user.channel)
            text = self.renderer.render(user.locale, template, fmt, month=shown,
                                        limit=self.plan.limit, **context)
            await store.outbox.enqueue(OutboxMessage(
                user_id=user.id, channel=user.channel, chat_id=user.chat_id, kind="notice",
                payload={"text": text, "format": fmt.value},
                dedupe_key=f"quota:{CHANNEL}:{month}:{what}:{user.id}",
                not_before=now, urgent=True, cap_exempt=True,
            ), now)


def plan_of(settings: Settings) -> QuotaPlan:
    """The configured Zalo plan."""
    hours = settings.zalo_quota_pause_hours
    return QuotaPlan(
        limit=settings.zalo_monthly_quota, zone=ZoneInfo(settings.timezone),
        pause=timedelta(hours=hours) if hours else None, urgent_from=settings.zalo_urgent_from,
    )


def meter_for(core: Core) -> QuotaMeter:
    """The quota meter of the configured Zalo plan."""
    return QuotaMeter(core.db, core.renderer, plan_of(core.settings),
                      core.settings.admin_addresses)


def zalo_api(core: Core, meter: QuotaMeter | None = None) -> ZaloApi:
    """A Zalo API client of the configured bot, its sends counted by `meter`."""
    settings = core.settings
    assert settings.zalo_bot_token is not None
    return ZaloApi(
        settings.zalo_bot_token.get_secret_value(), settings.zalo_api_base_url,
        photo_timeout=settings.zalo_photo_timeout,
        on_sent=meter.count if meter is not None else None,
    )
