"""Reminder rules: each finds what is due and queues outbox rows with dedupe keys.

A feature lists its rules in its `Feature`; the scheduler runs them once a minute.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.engine.feature import ReminderContext, ReminderRule

__all__ = ["ReminderContext", "ReminderRule", "windows"]


def windows(offsets: tuple[int, ...], unit: timedelta) -> list[tuple[int, timedelta, timedelta]]:
    """(offset, nearest, farthest): a reminder for `offset` is due while the deadline is between
    `nearest` and `farthest` ahead, so only the closest applicable reminder is sent."""
    ordered = sorted(set(offsets), reverse=True)
    return [
        (o, unit * (ordered[i + 1] if i + 1 < len(ordered) else 0), unit * o)
        for i, o in enumerate(ordered)
    ]
