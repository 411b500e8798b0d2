"""Reminder rules: each finds what is due and queues outbox rows with dedupe keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from handlers.engine.config import HandlerConfig
from messages import Renderer
from storage import Store


@dataclass
class ReminderContext:
    """What a reminder rule sees: the open transaction, the renderer, the time."""

    store: Store
    renderer: Renderer
    now: datetime
    config: HandlerConfig


ReminderRule = Callable[[ReminderContext], Awaitable[int]]
REMINDER_RULES: list[ReminderRule] = []


def reminder_rule(rule: ReminderRule) -> ReminderRule:
    """Register a rule; the scheduler runs every rule once a minute. Returns rows queued."""
    REMINDER_RULES.append(rule)
    return rule
