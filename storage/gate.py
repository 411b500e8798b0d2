"""Shared or exclusive: many holders at once, or one alone (a writer waiting goes first)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class Gate:
    """An asyncio read-write lock: `shared()` blocks run together, `exclusive()` alone."""

    def __init__(self) -> None:
        self._changed = asyncio.Condition()
        self._shared = 0
        self._exclusive = False
        self._waiting = 0  # exclusive holders waiting: new shared ones queue behind them

    @contextlib.asynccontextmanager
    async def shared(self) -> AsyncIterator[None]:
        """Hold the gate beside other shared holders."""
        if self._exclusive or self._waiting:
            async with self._changed:
                await self._changed.wait_for(lambda: not self._exclusive and not self._waiting)
                self._shared += 1
        else:  # the usual case, taken without the condition's lock: nothing awaits between
            self._shared += 1
        try:
            yield
        finally:
            self._shared -= 1
            if self._waiting:  # only an exclusive holder waits for the shared ones to end
                async with self._changed:
                    self._changed.notify_all()

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold the gate alone."""
        async with self._changed:
            self._waiting += 1
            try:
                await self._changed.wait_for(lambda: not self._exclusive and not self._shared)
            finally:
                self._waiting -= 1
            self._exclusive = True
        try:
            yield
        finally:
            async with self._changed:
                self._exclusive = False
                self._changed.notify_all()
