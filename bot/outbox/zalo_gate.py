"""What the Zalo sender may send now: the month's quota, and who to stop trying after days.

Zalo documents no answer for "blocked" (its 403 is a server error), so a person is given up
on only on evidence: the channel's description says so (see `classify`), or their messages
have failed for days while others on Zalo received theirs (so it is not an outage).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.channels.zalo_quota import CHANNEL, Admission, QuotaMeter
from storage import Store

log = logging.getLogger(__name__)

FAILING_FOR = timedelta(days=3)  # failures this long, with none delivered: given up on
SWEEP_EVERY = timedelta(hours=1)


class ZaloGate:
    """The Zalo sender's gate: quota admission, and an hourly look for people gone quiet."""

    def __init__(self, meter: QuotaMeter, failing_for: timedelta = FAILING_FOR) -> None:
        self.meter = meter
        self.failing_for = failing_for
        self._swept: datetime | None = None

    async def admission(self, now: datetime) -> Admission:
        """Whether sending is paused, or urgent only. Hourly, first: give up on people failing
        for days, and while paused, move what waits to linked Telegram accounts."""
        sweep = self._swept is None or now - self._swept >= SWEEP_EVERY
        if sweep:
            self._swept = now
            await self.give_up_failing(now)
        admission = await self.meter.admission(now)
        if sweep and admission.paused_until is not None:
            moved = await self.meter.db.run(
                lambda store: store.outbox.move_to_linked(CHANNEL, "telegram", now))
            if moved:
                log.info("zalo paused: %d messages moved to linked Telegram accounts", moved)
        return admission

    async def exceeded(self, now: datetime) -> datetime:
        """Zalo said the quota is used up: pause (see `QuotaMeter.exceeded`)."""
        return await self.meter.exceeded(now)

    async def give_up_failing(self, now: datetime) -> int:
        """Mark unreachable whoever's messages failed for `failing_for` with none delivered,
        while Zalo delivered to others; their waiting messages stop. Returns how many."""
        days = round(self.failing_for / timedelta(days=1))

        async def run(store: Store) -> int:
            people = await store.outbox_health.failing_for_days(
                CHANNEL, now - self.failing_for, now)
            for user_id, row_id, error in people:
                reason = f"no delivery for {days} days: {error}"
                await store.outbox.mark_dead(row_id, user_id, reason, now)
                await store.users.mark_unreachable(user_id)
            return len(people)

        count = await self.meter.db.run(run)
        if count:
            log.warning("zalo: %d people given up on after %d days of failures", count, days)
        return count
