"""The Telegram updates fetched and not yet confirmed: which to start, what to confirm.

getUpdates confirms every update below its offset. The offset asked for is the first update
not yet handled, so a `kill -9` loses nothing; the updates handled after it wait in the
window (and are skipped when fetched again) until it is done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update

log = logging.getLogger(__name__)


class UpdateWindow:
    """The updates fetched and not yet confirmed: those in hand, and those handled."""

    def __init__(self) -> None:
        self.offset: int | None = None  # what getUpdates confirms: everything below it
        self._running: dict[int, asyncio.Task[None]] = {}
        self._handled: set[int] = set()  # at or above the offset, waiting for an earlier one
        self._failed: set[int] = set()  # neither handled nor answered: fetched again

    @property
    def busy(self) -> bool:
        """Whether updates are being handled (getUpdates must not wait then)."""
        return bool(self._running)

    def fresh(self, updates: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """The fetched updates (as received) not already in hand or handled."""
        return [u for u in updates
                if u["update_id"] not in self._running and u["update_id"] not in self._handled]

    def start(self, update: Update, task: asyncio.Task[None]) -> None:
        """Note an update being handled."""
        self._running[update.update_id] = task
        self._failed.discard(update.update_id)
        if self.offset is None or self.offset > update.update_id:
            self.offset = update.update_id

    async def settle(self, keep: int, pause: float) -> None:
        """Wait until updates in hand end: one, or `pause` seconds, then down to `keep` of them.

        While some are in hand getUpdates answers at once (with them), so it is asked again
        after a pause for what came meanwhile rather than long-polled.
        """
        timeout: float | None = pause
        while self._running:
            finished, _ = await asyncio.wait(
                set(self._running.values()), timeout=timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for update_id, task in list(self._running.items()):
                if task in finished:
                    del self._running[update_id]
                    self._handled.add(update_id)
                    if not task.cancelled() and task.exception() is not None:
                        log.error("update %s failed", update_id, exc_info=task.exception())
            if len(self._running) <= keep:
                return
            timeout = None

    def settled(self, unfinished: set[int]) -> bool:
        """Move the offset past every handled update up to the first that is not.

        Returns whether an update was left unfinished (it is fetched again after a pause).
        """
        failed = self._handled & unfinished
        unfinished.difference_update(failed)
        self._handled -= failed
        self._failed |= failed
        pending = [*self._running, *self._failed]
        if pending:
            self.offset = min(pending)
        elif self._handled:
            self.offset = max(self._handled) + 1
        self._handled = {u for u in self._handled if self.offset is None or u >= self.offset}
        return bool(self._failed) and self.offset in self._failed

    async def cancel(self) -> None:
        """Stop the updates in hand (not confirmed: Telegram sends them again)."""
        for task in self._running.values():
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        self._running.clear()
