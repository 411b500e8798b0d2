"""The commune's step in chat (`/hosoxa`): the commune officer (or, where a commune has none,
a province officer) sees the commune's dossiers with the working days left, writes the
commune's assessment (Mẫu 03), and forwards the dossier to the province or returns it."""

from __future__ import annotations

from typing import Any

from handlers.account.steps import Menu
from handlers.common.working_days import days_left
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.rating.commune_actions import MAU03, forward, give_back_from_commune
from handlers.rating.review import note_problem
from handlers.rating.steps import Commune
from storage.communes import CommuneReview
from storage.models import Role
from storage.places import written_apart

flow = Flow("commune", role=Role.COMMUNE_OFFICER)
flow.command("hosoxa", Commune.LIST)
LIST_LIMIT = 20
BACK = Choice(key="c:back", label="common.back")


async def _reviews(turn: Turn) -> list[CommuneReview]:
    """The open checks this person may do: their commune's, or their province's."""
    if turn.user.role is Role.COMMUNE_OFFICER:
        mine = await turn.store.communes.commune_of(turn.user.id)
        return await turn.store.communes.open_reviews(mine[0], mine[2]) if mine else []
    scope = turn.user.officer_province if turn.user.role is Role.OFFICER else None
    return await turn.store.communes.open_reviews(scope or None)


async def _review(turn: Turn) -> CommuneReview | None:
    rid = turn.data.get("rid")
    return next((r for r in await _reviews(turn) if r.id == rid), None)


async def _days_left(turn: Turn, review: CommuneReview) -> int:
    return await days_left(turn.store, review.due_on, turn.now.astimezone(turn.config.zone).date())


@flow.ask(Commune.LIST)
async def listing(turn: Turn) -> list[Reply]:
    """The commune's dossiers waiting for its check, the oldest first."""
    reviews = await _reviews(turn)
    choices = []
    for review in reviews[:LIST_LIMIT]:
        product = await turn.store.products.get(review.product_id)
        choices.append(Choice(key=f"c:{review.id}", label="commune.item", context={
            "id": review.product_id, "name": product.name if product else "…",
            "commune": review.commune, "left": await _days_left(turn, review)}))
    return [Reply(template="commune/list", context={"count": len(reviews)},
                  choices=(*choices, Choice(key="c:menu", label="common.to_menu")))]


@flow.answer(Commune.LIST)
async def picked(turn: Turn) -> list[Reply]:
    """Open the picked dossier."""
    if turn.choice == "c:menu":
        return await turn.goto(Menu.MAIN)
    arg = turn.choice_arg
    turn.data = {"rid": int(arg) if arg.isdigit() else 0}
    if await _review(turn) is None:
        return [Reply(template="commune/not_available"), *await turn.goto(Commune.LIST)]
    return await turn.goto(Commune.OPEN, rid=turn.data["rid"])


@flow.ask(Commune.OPEN)
async def open_dossier(turn: Turn) -> list[Reply]:
    """One dossier at the commune: who, when received, days left, the assessment so far."""
    review = await _review(turn)
    product = await turn.store.products.get(review.product_id) if review else None
    if review is None or product is None:
        return [Reply(template="commune/not_available"), *await turn.goto(Commune.LIST)]
    producer = await turn.store.users.producer(product.producer_id)
    done = all(key in review.assessment for key in MAU03)
    context: dict[str, Any] = {
        "name": product.name, "id": product.id, "producer": producer.name if producer else "",
        "commune": review.commune, "written": written_apart(
            producer.commune, producer.commune_typed) if producer else "",
        "received": review.received_at, "due_on": review.due_on,
        "left": await _days_left(turn, review), "assessment": review.assessment,
        "criteria": MAU03, "done": done}
    choices = [Choice(key="c:assess", label="commune.assess")]
    if done:
        choices.append(Choice(key="c:fwd", label="commune.forward"))
    choices += [Choice(key="c:ret", label="commune.give_back"), BACK]
    return [Reply(template="commune/open", context=context, choices=tuple(choices))]


@flow.answer(Commune.OPEN)
async def act(turn: Turn) -> list[Reply]:
    """Assess, forward, return, or go back to the list."""
    review = await _review(turn)
    if review is None or turn.choice == "c:back":
        return await turn.goto(Commune.LIST)
    if turn.choice == "c:assess":
        return await turn.goto(Commune.ASSESS, rid=review.id, at=0)
    if turn.choice == "c:ret":
        return await turn.goto(Commune.NOTE, rid=review.id)
    if turn.choice == "c:fwd" and all(key in review.assessment for key in MAU03):
        await forward(turn.store, turn.renderer, review, turn.user.address, turn.now)
        return [Reply(template="commune/forwarded", context={"id": review.product_id}),
                *await turn.goto(Commune.LIST)]
    return await turn.again()


@flow.ask(Commune.ASSESS)
async def ask_criterion(turn: Turn) -> list[Reply]:
    """One of the four Mẫu 03 questions."""
    at = int(turn.data.get("at", 0))
    choices = tuple(Choice(key=f"a:{level}", label=f"commune.level_{level}")
                    for level in ("yes", "part", "no"))
    return [Reply(template="commune/ask_criterion",
                  context={"criterion": MAU03[at], "n": at + 1, "of": len(MAU03)},
                  choices=(*choices, BACK))]


@flow.answer(Commune.ASSESS)
async def take_criterion(turn: Turn) -> list[Reply]:
    """Keep the answer; the next question, or back to the dossier."""
    review = await _review(turn)
    if review is None or turn.choice == "c:back":
        return await turn.goto(Commune.OPEN, rid=turn.data.get("rid"))
    at = int(turn.data.get("at", 0))
    answers = {**review.assessment, MAU03[at]: turn.choice_arg}
    await turn.store.communes.save_assessment(review.id, answers)
    if at + 1 < len(MAU03):
        return await turn.goto(Commune.ASSESS, rid=review.id, at=at + 1)
    return await turn.goto(Commune.OPEN, rid=review.id)


@flow.ask(Commune.NOTE)
async def ask_note(turn: Turn) -> list[Reply]:
    """What the producer must add."""
    return [Reply(template="commune/ask_note", choices=(BACK,))]


@flow.answer(Commune.NOTE, accepts=TEXT)
async def take_note(turn: Turn) -> list[Reply]:
    """Return the dossier to the producer with the note."""
    review = await _review(turn)
    if review is None or turn.choice == "c:back":
        return await turn.goto(Commune.OPEN, rid=turn.data.get("rid"))
    if (problem := note_problem(turn.text)) is not None:
        return await turn.again(problem)
    await give_back_from_commune(turn.store, turn.renderer, review, turn.text,
                                 turn.user.address, turn.now)
    return [Reply(template="commune/returned", context={"id": review.product_id}),
            *await turn.goto(Commune.LIST)]

