"""A channel's send rate held for the whole deployment: every worker takes its send slots
from blocks it reserves in the database (`send_pace`), a quarter of a second at a time."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from storage import Database

BLOCK = 0.25  # seconds of the channel's sending time reserved at once


class SharedSlots:
    """Send slots of one channel, reserved in blocks shared by every worker."""

    def __init__(
        self, db: Database, channel: str, rate: float, *,
        wall: Callable[[], float] = time.time, block: float = BLOCK,
    ) -> None:
        self._db, self._channel = db, channel
        self._gap = 1.0 / rate
        self._count = max(1, round(rate * block))  # slots in a block
        self._wall = wall
        self._slots: deque[float] = deque()  # Unix times of the slots in hand, in order
        self.reserved = 0  # blocks reserved since start

    async def wait(self) -> float:
        """Seconds until this worker's next slot (taken now); reserves a block when none is
        left. Slots that went by unused are dropped, never spent late in a burst."""
        now = self._wall()
        while self._slots and self._slots[0] < now - self._gap:
            self._slots.popleft()
        if not self._slots:
            seconds = self._count * self._gap
            start = await self._db.run(
                lambda store: store.send_pace.reserve(self._channel, now, seconds))
            self._slots.extend(start + i * self._gap for i in range(self._count))
            self.reserved += 1
        return max(0.0, self._slots.popleft() - self._wall())
