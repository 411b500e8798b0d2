"""Offer to resume a piece of work left as a draft, or to start it anew."""

from __future__ import annotations

from typing import Any

from handlers.account.steps import Resume
from handlers.engine.events import Choice, Reply
from handlers.engine.pause import saved
from handlers.engine.turn import Flow, Turn

flow = Flow("resume")


async def offer_resume(
    turn: Turn, kind: str, fresh_step: str, **fresh_data: Any
) -> list[Reply] | None:
    """If a `kind` draft was left, ask whether to go on with it; None when there is none."""
    if await saved(turn, kind) is None:
        return None
    return await turn.goto(Resume.ASK, kind=kind, fresh=fresh_step, fresh_data=fresh_data)


@flow.ask(Resume.ASK)
async def ask(turn: Turn) -> list[Reply]:
    """Go on with the draft, or start anew."""
    choices = (
        Choice(key="d:go", label="drafts.resume"),
        Choice(key="d:new", label="drafts.fresh"),
    )
    return [Reply(template="menu/resume_draft", context={"kind": turn.data.get("kind", "")},
                  choices=choices)]


@flow.answer(Resume.ASK)
async def answer(turn: Turn) -> list[Reply]:
    """Reopen the step the draft was left on, with its answers; or drop it and start anew."""
    kind = str(turn.data.get("kind", ""))
    draft = await saved(turn, kind)
    await turn.store.conversations.drop_draft(turn.user.id, kind)
    if turn.choice == "d:go" and draft is not None and draft["step"] in turn.registry.steps:
        return await turn.goto(draft["step"], **draft["data"])
    return await turn.goto(str(turn.data["fresh"]), **dict(turn.data.get("fresh_data") or {}))
