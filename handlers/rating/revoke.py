"""Officers: `/thuhoi` records the revocation of a certification decision (ground, number,
date); the producer is told at once and the product leaves every count in force."""

from __future__ import annotations

from datetime import date

from handlers.account.steps import Officer
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.rating.results import decision_day
from handlers.rating.revocation import ground_of, revoke, typed_target
from handlers.rating.rules import MAX_NUMBER
from handlers.rating.steps import Revoke
from storage.models import Role

flow = Flow("revoke", role=Role.OFFICER)
flow.command("thuhoi", Revoke.PICK)

CANCEL = Choice(key="t:cancel", label="results.cancel")


async def _lost(turn: Turn) -> list[Reply]:
    return [Reply(template="revocation/not_found", context={"typed": turn.data.get("typed", "")}),
            *await turn.goto(Revoke.PICK)]


async def _cancelled(turn: Turn) -> list[Reply] | None:
    if turn.choice == "t:cancel":
        return [Reply(template="results/cancelled"), *await turn.goto(Officer.MAIN)]
    return None


@flow.ask(Revoke.PICK)
async def pick(turn: Turn) -> list[Reply]:
    """Ask which product: its dossier code or its certificate number."""
    return [Reply(template="revocation/ask_product", choices=(CANCEL,))]


@flow.answer(Revoke.PICK, accepts=TEXT, digits_are_text=True)
async def picked(turn: Turn) -> list[Reply]:
    """Find the certificate; go on to the ground."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    turn.data = {"typed": turn.text}
    if await typed_target(turn) is None:
        return await turn.again(Reply(template="revocation/not_found",
                                      context={"typed": turn.text}))
    return await turn.goto(Revoke.GROUND, typed=turn.text)


@flow.ask(Revoke.GROUND)
async def ask_ground(turn: Turn) -> list[Reply]:
    """The decision's grounds, one to pick."""
    target = await typed_target(turn)
    if target is None:
        return await _lost(turn)
    grounds = await turn.store.rules.grounds()
    choices = (*(Choice(key=f"t:{g.code}", label="revocation.ground",
                        context={"name": g.name(turn.locale)}) for g in grounds), CANCEL)
    context = {"name": target.product.name, "id": target.product.id,
               "number": target.cert.certificate_number or "", "stars": target.cert.stars}
    return [Reply(template="revocation/ask_ground", context=context, choices=choices)]


@flow.answer(Revoke.GROUND)
async def take_ground(turn: Turn) -> list[Reply]:
    """Keep the ground; ask the decision's number."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    if await ground_of(turn.store, turn.choice_arg) is None:
        return await turn.again()
    return await turn.goto(Revoke.NUMBER, **{**turn.data, "ground": turn.choice_arg})


@flow.ask(Revoke.NUMBER)
async def ask_number(turn: Turn) -> list[Reply]:
    """Ask the revocation decision's number."""
    return [Reply(template="revocation/ask_number", choices=(CANCEL,))]


@flow.answer(Revoke.NUMBER, accepts=TEXT, digits_are_text=True)
async def take_number(turn: Turn) -> list[Reply]:
    """Keep the number; ask the date."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    if not turn.text or len(turn.text) > MAX_NUMBER:
        return await turn.again(Reply(template="products/need_text"))
    return await turn.goto(Revoke.DATE, **{**turn.data, "decision": turn.text})


@flow.ask(Revoke.DATE)
async def ask_date(turn: Turn) -> list[Reply]:
    """Ask the revocation decision's date."""
    return [Reply(template="revocation/ask_date", choices=(CANCEL,))]


@flow.answer(Revoke.DATE, accepts=TEXT, digits_are_text=True)
async def take_date(turn: Turn) -> list[Reply]:
    """Keep the date: not in the future, not before the certification decision."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    day = decision_day(turn)
    if isinstance(day, Reply):
        return await turn.again(day)
    target = await typed_target(turn)
    if target is None:
        return await _lost(turn)
    if target.cert.decision_date is not None and day < target.cert.decision_date:
        return await turn.again(Reply(template="revocation/before_decision",
                                      context={"date": target.cert.decision_date}))
    return await turn.goto(Revoke.CONFIRM, **{**turn.data, "date": day.isoformat()})


@flow.ask(Revoke.CONFIRM)
async def confirm(turn: Turn) -> list[Reply]:
    """Show the revocation as it will be recorded."""
    target = await typed_target(turn)
    ground = await ground_of(turn.store, str(turn.data.get("ground", "")))
    if target is None or ground is None:
        return await _lost(turn)
    context = {"name": target.product.name, "id": target.product.id,
               "number": target.cert.certificate_number or "", "stars": target.cert.stars,
               "ground": ground.name(turn.locale), "decision_number": turn.data["decision"],
               "decision_date": date.fromisoformat(turn.data["date"])}
    choices = (Choice(key="t:ok", label="revocation.record"), CANCEL)
    return [Reply(template="revocation/confirm", context=context, choices=choices)]


@flow.answer(Revoke.CONFIRM)
async def apply(turn: Turn) -> list[Reply]:
    """Record the revocation and tell the producer."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    target = await typed_target(turn)
    ground = await ground_of(turn.store, str(turn.data.get("ground", "")))
    if target is None or ground is None:
        return await _lost(turn)
    await revoke(turn.store, turn.renderer, target, ground,
                 decision_number=turn.data["decision"],
                 decision_date=date.fromisoformat(turn.data["date"]),
                 actor=turn.user.address, now=turn.now)
    context = {"name": target.product.name, "id": target.product.id}
    return [Reply(template="revocation/done", context=context),
            *await turn.goto(Officer.MAIN)]
