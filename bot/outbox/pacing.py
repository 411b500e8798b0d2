"""Pacing for one channel's sender: a global rate and a minimum interval per chat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]


class Slots(Protocol):
    """The channel's send slots shared with other workers (`shared_pace.SharedSlots`)."""

    async def wait(self) -> float:
        """Seconds to wait for the next slot of the deployment (one is taken)."""
        ...


class Pacer:
    """Hands out send slots: at most `rate` per second overall, one per chat per interval.

    Slots are reserved in order, so a caller waiting for its chat's interval does not hold
    up other chats, and a flood-control answer (`penalize`) pushes back one chat only.
    With `shared`, each send also takes one of the slots every worker shares, so the rate
    holds for the whole deployment.
    """

    def __init__(
        self, rate: float, chat_interval: float, monotonic: Monotonic, sleep: Sleep,
        shared: Slots | None = None,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._gap = 1.0 / rate
        self._chat_interval = chat_interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_global = 0.0
        self._chat_next: dict[str, float] = {}
        self._shared = shared

    async def chat_ready(self, chat_id: str) -> float:
        """Wait until this chat may receive its next message; returns the time now."""
        while True:
            now = self._monotonic()
            ready = self._chat_next.get(chat_id, 0.0)
            if ready <= now:
                return now
            await self._sleep(ready - now)

    async def acquire(self, chat_id: str) -> None:
        """Wait until this chat may receive its next message within the global rate."""
        now = await self.chat_ready(chat_id)
        slot = max(now, self._next_global)
        self._next_global = slot + self._gap
        self._chat_next[chat_id] = slot + self._chat_interval
        if slot > now:
            await self._sleep(slot - now)
        if self._shared is not None and (wait := await self._shared.wait()) > 0:
            await self._sleep(wait)
        self._forget_old(now)

    def penalize(self, chat_id: str, seconds: float) -> None:
        """Keep one chat quiet for `seconds` (the server asked us to wait)."""
        until = self._monotonic() + seconds
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), until)

    def _forget_old(self, now: float) -> None:
        if len(self._chat_next) > 10_000:
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
