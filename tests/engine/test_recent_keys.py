"""The bounded memory of keys seen lately (handled updates, answered buttons, newcomers)."""

from __future__ import annotations

from handlers.engine.recent import RecentKeys


def test_past_its_limit_the_oldest_key_is_forgotten_first() -> None:
    keys = RecentKeys(2)
    for key in ("a", "b", "a", "c"):  # "a" again keeps its place: it is still the oldest
        keys.add(key)
    assert "a" not in keys
    assert "b" in keys and "c" in keys
