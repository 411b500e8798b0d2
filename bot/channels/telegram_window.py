"""The Telegram updates fetched and not yet confirmed: which to start, what to confirm.

getUpdates confirms every update below its offset. The offset asked for is the first update
not yet handled, so a `kill -9` loses nothing; the updates handled after it wait in the
window (and are skipped when fetched again) until it is done.
"""

from __future__ import annotations

import asyncio
import contextlib
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
        # Set when an update in hand ends. One event rather than asyncio.wait over every task
        # in hand, which hooks into and out of each of them (up to a hundred) on every wake.
        self._ended = asyncio.Event()

    @property
    def busy(self) -> bool:
        """Whether updates are being handled (getUpdates must not wait then)."""
        return bool(self._running)

    def fresh(self, updates: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """The fetched updates (as received) not already in hand or handled."""
        return [u for u in updates
                if u["update_id"] not in self._running and u["update_id"] not in self._handled]

    def start(self, update: Update, task: asyncio.Task[None]) -> None:
        """Note an update being handled; it moves to the handled ones when its task ends."""
        update_id = update.update_id
        self._running[update_id] = task
        self._failed.discard(update_id)
        if self.offset is None or self.offset > update_id:
            self.offset = update_id
        task.add_done_callback(lambda done: self._end(update_id, done))

    def _end(self, update_id: int, task: asyncio.Task[None]) -> None:
        if self._running.get(update_id) is not task:
            return  # cancelled and forgotten by cancel()
        del self._running[update_id]
        self._handled.add(update_id)
        self._ended.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("update %s failed", update_id, exc_info=task.exception())

    async def settle(self, keep: int, pause: float) -> None:
        """Wait until updates in hand end: one, or `pause` seconds, then down to `keep` of them.

        While some are in hand getUpdates answers at once (with them), so it is asked again
        after a pause for what came meanwhile rather than long-polled.
        """
        self._ended.clear()
        if self._running:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(pause):
                    await self._ended.wait()
        while len(self._running) > keep:
            self._ended.clear()
            await self._ended.wait()

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
        running = list(self._running.values())
        self._running.clear()
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
