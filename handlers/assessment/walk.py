"""Tự chấm điểm by chat: the product, then criterion by criterion, each answer saved at once."""

from __future__ import annotations

from handlers.account.steps import Menu
from handlers.assessment.common import Scoring, scoring_of, set_number
from handlers.assessment.screen import criterion_screen, proof_of
from handlers.assessment.steps import Assessment
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Turn
from handlers.products.common import owned_product
from handlers.products.steps import Dossier, Products
from storage.criteria_models import CriteriaSet
from storage.product_models import Product

flow = Flow("assessment", needs_profile=True)
flow.command("chamdiem", Assessment.START)

LIST_LIMIT = 30


async def _to_product(turn: Turn, pid: int, *before: Reply) -> list[Reply]:
    return [*before, *await turn.goto(Products.VIEW, pid=pid)]


@flow.ask(Assessment.START)
async def start(turn: Turn) -> list[Reply]:
    """Resume the product's self-assessment where it stopped, or begin it; or pick a product."""
    product = await owned_product(turn, turn.data.get("pid"))
    if product is None:
        return await _pick_product(turn)
    version = await turn.store.criteria.current_version()
    if version is None:
        return await _to_product(turn, product.id, Reply(template="assessment/not_loaded"))
    set_no = await set_number(turn.store, product.set_code)
    criteria = await turn.store.criteria.set_for(version, set_no) if set_no else None
    if criteria is None:
        return await _to_product(turn, product.id, Reply(template="assessment/no_set"))
    existing = await turn.store.assessments.of_product(product.id)
    scoring = await scoring_of(turn) if existing is not None else None
    if scoring is not None and scoring.assessment.set_no == set_no:
        return await _resume(turn, scoring)
    return await begin(turn, product, criteria)


async def begin(turn: Turn, product: Product, criteria: CriteriaSet) -> list[Reply]:
    """Start (or start again) the product's self-assessment: the intro, then criterion 1."""
    await turn.store.assessments.start(product.id, criteria.version, criteria.set_no, turn.now)
    context = {
        "name": product.name, "title": criteria.title, "version": criteria.version,
        "count": len(criteria.scored), "disqualification": criteria.disqualification,
    }
    first = criteria.scored[0]
    return [Reply(template="assessment/intro", context=context),
            *await turn.goto(Assessment.CRITERION, pid=product.id, key=first.key)]


async def _resume(turn: Turn, scoring: Scoring) -> list[Reply]:
    pid = scoring.product.id
    open_row = scoring.first_open()
    if open_row is None:
        return await turn.goto(Assessment.RESULT, pid=pid)
    at = scoring.criteria.get(scoring.assessment.position)
    key = at.key if at is not None and at.scored else open_row.key
    note = Reply(template="assessment/resumed",
                 context={"done": len(scoring.answers), "count": len(scoring.scored)})
    return [note, *await turn.goto(Assessment.CRITERION, pid=pid, key=key)]


async def _pick_product(turn: Turn) -> list[Reply]:
    assert turn.user.producer_id is not None
    products = [p for p in await turn.store.products.of_producer(turn.user.producer_id)
                if p.set_code]
    if not products:
        return [Reply(template="assessment/no_products"), *await turn.goto(Menu.MAIN)]
    if len(products) == 1:
        return await turn.goto(Assessment.START, pid=products[0].id)
    choices = (*(Choice(key=f"p:{p.id}", text=p.name or "…") for p in products[:LIST_LIMIT]),
               Choice(key="p:menu", label="common.to_menu"))
    return [Reply(template="assessment/pick_product", choices=choices)]


@flow.answer(Assessment.START)
async def picked(turn: Turn) -> list[Reply]:
    """Begin with the picked product."""
    if turn.choice == "p:menu":
        return await turn.goto(Menu.MAIN)
    product = await owned_product(turn, turn.choice_arg)
    if product is None:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    return await turn.goto(Assessment.START, pid=product.id)


@flow.ask(Assessment.CRITERION)
async def criterion(turn: Turn) -> list[Reply]:
    """One criterion: its requirement, its options with points and star minimums."""
    scoring = await scoring_of(turn)
    row = scoring.criteria.get(str(turn.data.get("key"))) if scoring else None
    if scoring is None or row is None or not row.scored:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    await turn.store.assessments.move_to(scoring.assessment.id, row.key)
    return await criterion_screen(turn, scoring, row)


@flow.answer(Assessment.CRITERION)
async def answered(turn: Turn) -> list[Reply]:
    """Save the picked option (or "chưa rõ"), then the next criterion; or go back one."""
    scoring = await scoring_of(turn)
    row = scoring.criteria.get(str(turn.data.get("key"))) if scoring else None
    if scoring is None or row is None:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    pid, action = scoring.product.id, turn.choice_arg
    edited = turn.data.get("from") == "edit"
    if action == "back":
        return await _back(turn, scoring, row.key, edited)
    if action == "later":
        return await _to_product(turn, pid, Reply(template="assessment/saved_for_later"))
    if action == "proof":
        proof = await proof_of(turn, scoring, row)
        if proof is not None and proof.item is not None:
            return await turn.goto(Dossier.ITEM, pid=pid, item=proof.item.code,
                                   back=Assessment.START)
    option = None if action == "unsure" else row.option(_number(action))
    if action != "unsure" and option is None:
        return await turn.again(Reply(template="errors/pick_a_choice"))
    await turn.store.assessments.answer(scoring.assessment.id, row.key,
                                        option.no if option else None, turn.now)
    note = Reply(template="assessment/saved", context={
        "code": row.code, "label": row.label, "points": option.points if option else 0,
        "unsure": option is None})
    if edited:
        return [note, *await turn.goto(Assessment.RESULT, pid=pid)]
    scoring.answers[row.key] = option.no if option else None
    index = scoring.index_of(row.key)
    following = scoring.scored[index + 1:]
    if following:
        return [note, *await turn.goto(Assessment.CRITERION, pid=pid, key=following[0].key)]
    return [note, *await turn.goto(Assessment.RESULT, pid=pid)]


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


async def _back(turn: Turn, scoring: Scoring, key: str, edited: bool) -> list[Reply]:
    pid = scoring.product.id
    if edited:
        part = key.partition(":")[0]
        return await turn.goto(Assessment.EDIT, pid=pid, part=part)
    index = scoring.index_of(key)
    if index == 0:
        return await turn.goto(Products.VIEW, pid=pid)
    return await turn.goto(Assessment.CRITERION, pid=pid, key=scoring.scored[index - 1].key)
