"""A feature: its flows, commands, reminder rules and personal-data hooks, as one object."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from handlers.engine.config import HandlerConfig
from handlers.engine.turn import Command, Exporter, Flow, Forgetter, Registry, Step
from messages import Renderer
from storage import Store


@dataclass
class ReminderContext:
    """What a reminder rule sees: the open transaction, the renderer, the time."""

    store: Store
    renderer: Renderer
    now: datetime
    config: HandlerConfig


# Finds what is due and queues outbox rows with dedupe keys; returns the rows queued.
ReminderRule = Callable[[ReminderContext], Awaitable[int]]


@dataclass(frozen=True)
class Feature:
    """What one feature package hands to the dispatcher, the scheduler and the CLI."""

    name: str
    flows: tuple[Flow, ...] = ()
    reminder_rules: tuple[ReminderRule, ...] = ()
    exporters: tuple[Exporter, ...] = ()  # sections of the /xoadulieu export
    forgetters: tuple[Forgetter, ...] = ()  # run before a user's profile is deleted


class WiringError(Exception):
    """Two features register the same step or command."""


def build_registry(features: Iterable[Feature]) -> Registry:
    """One registry of steps and commands from the features' flows; a name used twice fails."""
    steps: dict[str, Step] = {}
    commands: dict[str, Command] = {}
    exporters: list[Exporter] = []
    forgetters: list[Forgetter] = []
    for feature in features:
        for flow in dict.fromkeys(feature.flows):  # one flow object may be listed once
            for name, step in flow.steps.items():
                if name in steps:
                    raise WiringError(f"step {name} registered twice")
                steps[name] = step
            for name, command in flow.commands.items():
                if name in commands:
                    raise WiringError(f"command /{name} registered twice")
                commands[name] = command
        exporters.extend(feature.exporters)
        forgetters.extend(feature.forgetters)
    for command in commands.values():
        if command.step not in steps:
            raise WiringError(f"command /{command.name} opens unknown step {command.step}")
    return Registry(
        steps=steps, commands=commands, exporters=tuple(exporters), forgetters=tuple(forgetters)
    )


def reminder_rules(features: Iterable[Feature]) -> tuple[ReminderRule, ...]:
    """Every feature's reminder rules, in the order of the features."""
    return tuple(rule for feature in features for rule in feature.reminder_rules)


def listed_commands(features: Iterable[Feature]) -> tuple[str, ...]:
    """The commands a channel shows in its command menu, in their listed order."""
    listed = [
        command
        for feature in features
        for flow in dict.fromkeys(feature.flows)
        for command in flow.commands.values()
        if command.listed is not None
    ]
    return tuple(command.name for command in sorted(listed, key=lambda c: c.listed or 0))
