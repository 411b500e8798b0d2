"""Named conversation steps and commands, registered by the flow modules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from handlers.engine.events import InputKind, Reply
from storage.models import Role

if TYPE_CHECKING:
    from handlers.engine.turn import Turn

StepFn = Callable[["Turn"], Awaitable[list[Reply]]]

CHOICES_ONLY = frozenset({InputKind.CHOICE})
TEXT = frozenset({InputKind.TEXT, InputKind.CHOICE})
FILES = frozenset({InputKind.PHOTO, InputKind.DOCUMENT, InputKind.CHOICE, InputKind.TEXT})


@dataclass(frozen=True)
class Step:
    """One step of a conversation: how to ask, and how to take the answer."""

    name: str
    ask: StepFn
    answer: StepFn | None
    accepts: frozenset[InputKind]
    role: Role
    needs_profile: bool
    digits_are_text: bool  # typed numbers are answers (a phone, a score), not menu picks


@dataclass(frozen=True)
class Command:
    """A slash command (and the words that work like it) and the step it opens."""

    name: str
    step: str


STEPS: dict[str, Step] = {}
COMMANDS: dict[str, Command] = {}


@dataclass
class Flow:
    """A group of steps under one name, e.g. `onboarding.phone`, with one access rule."""

    name: str
    role: Role = Role.PRODUCER
    needs_profile: bool = False
    _asks: dict[str, StepFn] = field(default_factory=dict)

    def ask(self, step: str) -> Callable[[StepFn], StepFn]:
        """Register how a step asks its question (without an answer handler yet)."""

        def register(fn: StepFn) -> StepFn:
            self._asks[step] = fn
            self._put(step, fn, None, CHOICES_ONLY, False)
            return fn

        return register

    def answer(
        self,
        step: str,
        *,
        accepts: frozenset[InputKind] = CHOICES_ONLY,
        digits_are_text: bool = False,
    ) -> Callable[[StepFn], StepFn]:
        """Register how a step takes its answer; the step's `ask` must be registered first."""

        def register(fn: StepFn) -> StepFn:
            self._put(step, self._asks[step], fn, accepts, digits_are_text)
            return fn

        return register

    def command(self, name: str, step: str) -> None:
        """Make `/name` (and its words in messages/commands.toml) open `flow.step`."""
        COMMANDS[name] = Command(name=name, step=f"{self.name}.{step}")

    def _put(
        self,
        step: str,
        ask: StepFn,
        answer: StepFn | None,
        accepts: frozenset[InputKind],
        digits_are_text: bool,
    ) -> None:
        full = f"{self.name}.{step}"
        STEPS[full] = Step(
            name=full,
            ask=ask,
            answer=answer,
            accepts=accepts,
            role=self.role,
            needs_profile=self.needs_profile,
            digits_are_text=digits_are_text,
        )
