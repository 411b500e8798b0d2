"""Keys seen lately, kept in memory up to a bound: the oldest are forgotten first."""

from __future__ import annotations

from collections import OrderedDict


class RecentKeys:
    """A set of at most `limit` keys; adding one past the limit forgets the oldest."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._keys: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def add(self, key: str) -> None:
        """Remember `key` (a key already known keeps its place)."""
        self._keys[key] = None
        while len(self._keys) > self._limit:
            self._keys.popitem(last=False)
