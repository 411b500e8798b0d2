"""Offer to resume a piece of work left as a draft, or to start it anew."""

from __future__ import annotations

from typing import Any

from handlers.account.steps import Menu, Resume
from handlers.engine.events import Choice, Reply
from handlers.engine.pause import PAUSABLE, saved
from handlers.engine.turn import Flow, Turn

flow = Flow("resume")
flow.command("lamtiep", Resume.LATEST, listed=14)
flow.command("continue", Resume.LATEST)  # the English command


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


@flow.ask(Resume.LATEST)
async def latest(turn: Turn) -> list[Reply]:
    """"Làm tiếp" from anywhere: back to the work left unfinished, where it was left."""
    register = turn.registry.commands.get("dangky")  # a product's registration
    if (
        register is not None
        and turn.user.producer_id is not None
        and await turn.store.products.drafts_of(turn.user.producer_id)
    ):
        return await turn.goto(register.step, resume=True)
    start = turn.registry.commands.get("start")  # a registration of the producer's details
    if start is not None and turn.user.producer_id is None and not turn.user.is_officer:
        return await turn.goto(start.step)
    for kind in dict.fromkeys(PAUSABLE.values()):
        draft = await saved(turn, kind)
        if draft is not None and draft["step"] in turn.registry.steps:
            await turn.store.conversations.drop_draft(turn.user.id, kind)
            return await turn.goto(draft["step"], **draft["data"])
    return [Reply(template="menu/nothing_to_resume"), *await turn.goto(Menu.MAIN)]
