"""An invitation's deep link opened on Telegram (`/start c<code>`): the producer is claimed with
the code printed on the invitation, after onboarding when the person is new."""

from __future__ import annotations

from handlers.account import codes
from handlers.claims.flow import claim, flow, held_back
from handlers.claims.steps import Claims
from handlers.engine.events import Reply
from handlers.engine.turn import Turn

PREFIX = "c"  # t.me/<bot>?start=c<12 digits>


def payload(code: str) -> str:
    """The /start payload of an invitation's deep link for a claim code."""
    return f"{PREFIX}{code}"


@flow.ask(Claims.LINK)
async def opened(turn: Turn) -> list[Reply]:
    """Claim the producer the link's code was drawn for; a used or wrong code claims nothing."""
    if (refused := await held_back(turn)) is not None:
        return refused
    text = str(turn.data.get("payload", ""))
    code = codes.typed(text.removeprefix(PREFIX))
    producer = None
    if text.startswith(PREFIX) and codes.well_formed(code):
        producer = await turn.store.existing.code_producer(code, turn.now)
    candidate = await turn.store.existing.candidate(producer) if producer else None
    if candidate is None or not await turn.store.existing.use_code(
            code, candidate.producer_id, turn.user.id, turn.now):
        await codes.record_wrong(turn)
        return [Reply(template="claims/link_gone"), *await turn.goto(Claims.START)]
    return await claim(turn, candidate, "link")
