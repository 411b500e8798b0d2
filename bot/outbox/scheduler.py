"""The reminder scheduler: once a minute, run every reminder rule in one transaction.

Rules queue outbox rows with dedupe keys (INSERT OR IGNORE), so running a rule again, after a
restart or twice in a minute, queues nothing new; a reminder that fell due while the bot was
down is found by the first pass after the restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.outbox.pacing import Sleep
from handlers.engine.config import HandlerConfig
from handlers.engine.feature import Feature, ReminderContext, reminder_rules
from messages import Renderer
from storage import Database, Store

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class Scheduler:
    """Runs the features' reminder rules against an injected clock."""

    def __init__(
        self,
        db: Database,
        renderer: Renderer,
        config: HandlerConfig,
        *,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        period: float = 60.0,
        features: Sequence[Feature],
    ) -> None:
        self._rules = reminder_rules(features)
        self._db = db
        self._renderer = renderer
        self._config = config
        self._clock = clock
        self._sleep = sleep
        self._period = period

    async def run_once(self) -> int:
        """One pass over every rule in one transaction; returns the rows queued."""
        now = self._clock()
        queued = await self._db.run(lambda store: self._pass(store, now))
        if queued:
            log.info("scheduler queued %d reminders", queued)
        return queued

    async def _pass(self, store: Store, now: datetime) -> int:
        """Every rule, in one transaction: rerun whole after a conflict (its rows carry
        dedupe keys, so a rerun queues nothing twice)."""
        context = ReminderContext(store=store, renderer=self._renderer, now=now,
                                  config=self._config)
        queued = 0
        for rule in self._rules:
            queued += await rule(context)
        return queued

    async def run(self) -> None:
        """Run a pass now and then every period, until cancelled; a failed pass is logged."""
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception("reminder pass failed")
            await self._sleep(self._period)
