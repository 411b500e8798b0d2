"""Work in progress kept as a draft when someone leaves it (`/huy`, `0`), to resume later.

A feature names the steps whose answers live only in the conversation (a broadcast being
written, a round being created); leaving one of them saves those answers as a draft of
that kind, and the feature offers "Làm tiếp bản nháp" / "Làm mới" the next time it starts.
"""

from __future__ import annotations

from typing import Any

from handlers.engine.events import Reply
from handlers.engine.turn import Turn

# step-name prefix → draft kind, e.g. "broadcast." → "broadcast"
PAUSABLE: dict[str, str] = {}
# step-name prefixes whose answers are saved as they are given (a product's registration):
# leaving one of them keeps the work, and "làm tiếp" goes back to it
SAVED_AS_GIVEN: set[str] = set()


def pausable(prefix: str, kind: str) -> None:
    """Keep the answers of the steps starting with `prefix` as a `kind` draft on leaving."""
    PAUSABLE[prefix] = kind


def saved_as_given(prefix: str) -> None:
    """Say that the steps starting with `prefix` save each answer at once (nothing to keep)."""
    SAVED_AS_GIVEN.add(prefix)


async def keep_unfinished(turn: Turn) -> str | None:
    """Save what the current step holds as a draft, if it is pausable work; its kind."""
    kind = next((k for p, k in PAUSABLE.items() if turn.step.startswith(p)), None)
    if kind is None or not turn.data:
        return None
    draft = {"step": turn.step, "data": turn.data}
    await turn.store.conversations.save_draft(turn.user.id, kind, draft, turn.now)
    return kind


async def saved(turn: Turn, kind: str) -> dict[str, Any] | None:
    """The draft of this kind the user left, if any: {"step", "data"}."""
    draft = await turn.store.conversations.draft(turn.user.id, kind)
    return draft if draft and "step" in draft else None


async def leave(turn: Turn, home: str) -> list[Reply]:
    """Leave the step for later ("thôi", "để mai"): what was saved stays, and the bot says
    how to go on ("làm tiếp")."""
    kept = await keep_unfinished(turn)
    working = kept is not None or turn.step.startswith(tuple(SAVED_AS_GIVEN))
    context = {"kept": kept or "", "working": working}
    return [Reply(template="menu/left", context=context), *await turn.goto(home)]
