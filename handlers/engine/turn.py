"""One update being handled (`Turn`), and the steps and commands it can move between."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from handlers.engine.config import HandlerConfig
from handlers.engine.events import Incoming, InputKind, Reply
from messages import Renderer
from storage import Store
from storage.models import Role, User

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
    listed: int | None = None  # its place in the channel's command menu; None: not listed
    cancels: bool = False  # `/huy`: leave what is in progress, keep the drafts
    officers: str | None = None  # the step an officer with no producer profile goes to


@dataclass(eq=False)  # compared and hashed by identity: one flow object is one flow
class Flow:
    """A group of steps under one name, e.g. `onboarding.phone`, with one access rule.

    The flow keeps its own steps and commands; the engine builds one registry from the
    flows of the features it is given.
    """

    name: str
    role: Role = Role.PRODUCER
    needs_profile: bool = False
    steps: dict[str, Step] = field(default_factory=dict)
    commands: dict[str, Command] = field(default_factory=dict)

    def ask(self, step: str) -> Callable[[StepFn], StepFn]:
        """Register how a step asks its question (without an answer handler yet)."""

        def register(fn: StepFn) -> StepFn:
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
            asked = self.steps[self.full(step)].ask
            self._put(step, asked, fn, accepts, digits_are_text)
            return fn

        return register

    def command(
        self,
        name: str,
        step: str,
        *,
        listed: int | None = None,
        cancels: bool = False,
        officers: str | None = None,
    ) -> None:
        """Make `/name` (and its words in messages/commands.toml) open `flow.step`; an
        officer who is not a producer opens `officers` instead (their side of the same)."""
        self.commands[name] = Command(
            name=name, step=self.full(step), listed=listed, cancels=cancels, officers=officers
        )

    def full(self, step: str) -> str:
        """The step's full name, `flow.step` (a full name is returned as it is)."""
        return step if "." in step else f"{self.name}.{step}"

    def _put(
        self,
        step: str,
        ask: StepFn,
        answer: StepFn | None,
        accepts: frozenset[InputKind],
        digits_are_text: bool,
    ) -> None:
        full = self.full(step)
        self.steps[full] = Step(
            name=full,
            ask=ask,
            answer=answer,
            accepts=accepts,
            role=self.role,
            needs_profile=self.needs_profile,
            digits_are_text=digits_are_text,
        )


Section = tuple[str, list[str]]  # (label key, lines) of a user's data export
Exporter = Callable[["Turn"], Awaitable[list[Section]]]  # what a feature holds about a user
Forgetter = Callable[["Turn"], Awaitable[None]]  # removes it before the profile goes


@dataclass(frozen=True)
class Registry:
    """Every step and command of the running features, and their personal-data hooks."""

    steps: Mapping[str, Step]
    commands: Mapping[str, Command]
    exporters: tuple[Exporter, ...] = ()
    forgetters: tuple[Forgetter, ...] = ()


@dataclass
class Turn:
    """One update being handled: the event, the user, their state and the open transaction."""

    event: Incoming
    store: Store
    user: User
    step: str
    data: dict[str, Any]
    now: datetime
    config: HandlerConfig
    renderer: Renderer
    registry: Registry
    choice: str | None = None

    @property
    def text(self) -> str:
        """What the user typed (NFC, trimmed); empty for buttons and files."""
        return self.event.text

    @property
    def locale(self) -> str:
        """The language to answer in."""
        return self.user.locale

    @property
    def choice_arg(self) -> str:
        """The part of the picked choice key after its colon (`p:12` → `12`)."""
        return (self.choice or "").partition(":")[2]

    async def goto(self, step: str, **data: Any) -> list[Reply]:
        """Move to `step` (flow data replaced by `data`) and return its question."""
        self.step = step
        self.data = dict(data)
        return await self.registry.steps[step].ask(self)

    async def again(self, *before: Reply) -> list[Reply]:
        """Ask the current step's question again, after the given replies."""
        return [*before, *await self.registry.steps[self.step].ask(self)]

    async def refresh_user(self) -> None:
        """Reload the user after changing their row (locale, profile, preferences)."""
        user = await self.store.users.get(self.user.id)
        assert user is not None
        self.user = with_config_role(user, self.config)


def with_config_role(user: User, config: HandlerConfig) -> User:
    """The user as an admin if the configuration names their account."""
    if user.address in config.admins:
        return user.model_copy(update={"role": Role.ADMIN})
    return user
