"""Officers: record a rating result for an accepted product; the producer is told at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.account.steps import Officer
from handlers.assessment.officer import side_by_side
from handlers.common import dates
from handlers.common.access import officer_scope
from handlers.common.rules import decision_in_force
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.products.common import officer_may
from handlers.rating.rules import (
    MAX_NUMBER,
    Result,
    add_months,
    local_today,
    make_result,
    parse_score,
    problems_of,
    record,
    tell_producer,
)
from handlers.rating.steps import Results, Review
from storage.models import Role
from storage.product_models import Product, ProductStatus

flow = Flow("results", role=Role.OFFICER)
flow.command("ketqua", Results.PICK)

PICK_LIMIT = 20
CANCEL = Choice(key="x:cancel", label="results.cancel")


async def _product(turn: Turn) -> Product | None:
    """The product being rated, if this officer may rate it and it waits for a result."""
    pid = str(turn.data.get("pid", ""))
    product = await turn.store.products.get(int(pid)) if pid.isdigit() else None
    if product is None or not await officer_may(turn, product.id):
        return None
    return product if product.status is ProductStatus.ACCEPTED else None


async def _refuse(turn: Turn, action: str) -> list[Reply]:
    await turn.store.audit.record(
        turn.user.address,
        "denied",
        turn.now,
        subject=f"results.{action}",
        details={"product": turn.data.get("pid")},
    )
    return [Reply(template="review/not_available"), *await turn.goto(Results.PICK)]


async def _result(turn: Turn, product: Product) -> Result:
    day = turn.data.get("date")
    return await make_result(
        turn.store,
        turn.config,
        product,
        float(turn.data["score"]),
        by_ministry=bool(turn.data.get("ministry")),
        decision_number=turn.data.get("decision"),
        decision_date=date.fromisoformat(day) if day else None,
        certificate_number=turn.data.get("cert"),
    )


def _keep(turn: Turn, **more: Any) -> dict[str, Any]:
    return {**turn.data, **more}


@flow.ask(Results.PICK)
async def pick(turn: Turn) -> list[Reply]:
    """Accepted products of the officer's province that wait for a result."""
    waiting = await turn.store.products.in_status(
        ProductStatus.ACCEPTED, officer_scope(turn), PICK_LIMIT
    )
    choices = (
        *(
            Choice(
                key=f"x:{p.id}", label="review.queue_item", context={"id": p.id, "name": p.name}
            )
            for p in waiting
        ),
        Choice(key="x:back", label="common.back"),
    )
    count = await turn.store.products.count_in_status(ProductStatus.ACCEPTED, officer_scope(turn))
    return [Reply(template="results/pick", context={"count": count}, choices=choices)]


@flow.answer(Results.PICK)
async def picked(turn: Turn) -> list[Reply]:
    """Start recording the result of the picked product."""
    if turn.choice == "x:back":  # back where the officer came from
        return await turn.goto(Review.QUEUE if turn.data.get("via") == "review"
                               else Officer.MAIN)
    turn.data = {"pid": turn.choice_arg}
    if await _product(turn) is None:
        return await _refuse(turn, "pick")
    return await turn.goto(Results.SCORE, pid=int(turn.choice_arg))


def _text_step(step: str, ask_template: str) -> None:
    @flow.ask(step)
    async def ask(turn: Turn) -> list[Reply]:
        product = await _product(turn)
        if product is None:
            return await _refuse(turn, step.partition(".")[2])  # audited as `results.score`
        context = {"name": product.name, "id": product.id}
        return [Reply(template=ask_template, context=context, choices=(CANCEL,))]


_text_step(Results.SCORE, "results/ask_score")
_text_step(Results.DECISION, "results/ask_decision")
_text_step(Results.DATE, "results/ask_date")
_text_step(Results.CERT, "results/ask_certificate")


async def _cancelled(turn: Turn) -> list[Reply] | None:
    if turn.choice == "x:cancel":
        return [Reply(template="results/cancelled"), *await turn.goto(Results.PICK)]
    return None


@flow.answer(Results.SCORE, accepts=TEXT, digits_are_text=True)
async def take_score(turn: Turn) -> list[Reply]:
    """Take the score (0–100); a certified band goes on to the decision."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    product = await _product(turn)
    if product is None:
        return await _refuse(turn, "score")
    score = parse_score(turn.text)
    if score is None or not 0 <= score <= 100:
        return await turn.again(Reply(template="results/bad_score", context={"typed": turn.text}))
    band = await turn.store.catalog.band_for(score)
    if band.stars > await turn.store.rules.number("province_max_stars"):
        return await turn.goto(Results.LEVEL, **_keep(turn, score=score))
    nxt = Results.DECISION if band.certified else Results.CONFIRM
    return await turn.goto(nxt, **_keep(turn, score=score))


@flow.ask(Results.LEVEL)
async def ask_level(turn: Turn) -> list[Reply]:
    """A score only the ministry can crown: whose decision is being recorded?"""
    product = await _product(turn)
    if product is None:
        return await _refuse(turn, "level")
    top = await turn.store.rules.number("province_max_stars")
    choices = (
        Choice(key="x:prov", label="results.by_province", context={"stars": top}),
        Choice(key="x:min", label="results.by_ministry"),
        CANCEL,
    )
    context = {"name": product.name, "score": f"{turn.data['score']:g}", "stars": top,
               "decision": await decision_in_force(turn.store)}
    return [Reply(template="results/ask_level", context=context, choices=choices)]


@flow.answer(Results.LEVEL)
async def take_level(turn: Turn) -> list[Reply]:
    """Record whether the province (capped stars) or the ministry decided."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    return await turn.goto(Results.DECISION, **_keep(turn, ministry=turn.choice == "x:min"))


@flow.answer(Results.DECISION, accepts=TEXT, digits_are_text=True)
async def take_decision(turn: Turn) -> list[Reply]:
    """Take the decision number."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    if not turn.text or len(turn.text) > MAX_NUMBER:
        return await turn.again(Reply(template="products/need_text"))
    return await turn.goto(Results.DATE, **_keep(turn, decision=turn.text))


@flow.answer(Results.DATE, accepts=TEXT, digits_are_text=True)
async def take_date(turn: Turn) -> list[Reply]:
    """Take the decision date (not in the future)."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    day = decision_day(turn)
    if isinstance(day, Reply):
        return await turn.again(day)
    return await turn.goto(Results.CERT, **_keep(turn, date=day.isoformat()))


def decision_day(turn: Turn) -> date | Reply:
    """A decision's date typed in this turn, or the reply that says why it cannot be: not a
    date, or in the future."""
    typed = dates.read(turn.text, turn.now, turn.config.zone, past=True)
    day = typed.day if typed is not None and typed.clock is None else None
    if day is None:
        return Reply(template="results/bad_date", context={"typed": turn.text})
    if day > local_today(turn.now, turn.config):
        return Reply(template="results/future_date", context={"date": day})
    return day


@flow.answer(Results.CERT, accepts=TEXT, digits_are_text=True)
async def take_certificate(turn: Turn) -> list[Reply]:
    """Take the certificate number (unique)."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    number = turn.text
    if not number or len(number) > MAX_NUMBER:
        return await turn.again(Reply(template="products/need_text"))
    if await turn.store.certifications.number_used(number):
        return await turn.again(
            Reply(template="results/certificate_used", context={"number": number})
        )
    return await turn.goto(Results.CONFIRM, **_keep(turn, cert=number))


@flow.ask(Results.CONFIRM)
async def confirm(turn: Turn) -> list[Reply]:
    """Show the result as it will be recorded."""
    product = await _product(turn)
    if product is None:
        return await _refuse(turn, "confirm")
    result = await _result(turn, product)
    expires = (
        add_months(result.decision_date, await turn.store.rules.number("cert_validity_months"))
        if result.band.certified and result.decision_date
        else None
    )
    context = {
        "name": product.name,
        "id": product.id,
        "score": f"{result.score:g}",
        "stars": result.stars,
        "potential": result.potential,
        "certified": result.band.certified,
        "decision_number": result.decision_number or "",
        "decision_date": result.decision_date,
        "certificate_number": result.certificate_number or "",
        "expires_on": expires,
        "compare": await side_by_side(turn.store, product, result.score, result.stars),
    }
    choices = (Choice(key="x:ok", label="results.record"), CANCEL)
    return [Reply(template="results/confirm", context=context, choices=choices)]


@flow.answer(Results.CONFIRM)
async def apply(turn: Turn) -> list[Reply]:
    """Record the result and queue the producer's notice."""
    if (stop := await _cancelled(turn)) is not None:
        return stop
    product = await _product(turn)
    if product is None:
        return await _refuse(turn, "record")
    result = await _result(turn, product)
    problems = await problems_of(turn.store, result, local_today(turn.now, turn.config))
    if problems:
        reason, details = problems[0]
        context: dict[str, object] = {"reason": reason, "details": details}
        return [
            Reply(template="results/refused", context=context),
            *await turn.goto(Results.PICK),
        ]
    cert_id = await record(turn.store, turn.config, result, turn.user.address, turn.now)
    await tell_producer(turn.store, turn.renderer, product.producer_id, [cert_id], turn.now)
    done: dict[str, object] = {
        "name": product.name,
        "stars": result.stars,
        "potential": result.potential,
        "certified": result.band.certified,
    }
    return [Reply(template="results/recorded", context=done), *await turn.goto(Results.PICK)]
