"""Everything one handler call may see and change for one incoming update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.engine.config import HandlerConfig
from handlers.engine.events import Incoming, Reply
from handlers.engine.registry import STEPS
from messages import Renderer
from storage import Store
from storage.models import Role, User


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
        return await STEPS[step].ask(self)

    async def again(self, *before: Reply) -> list[Reply]:
        """Ask the current step's question again, after the given replies."""
        return [*before, *await STEPS[self.step].ask(self)]

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
