"""The result of a self-assessment, what it lacks for the next star, and changing an answer."""

from __future__ import annotations

from typing import Any

from handlers.account.steps import Menu
from handlers.assessment.common import Scoring, score_of, scoring_of
from handlers.assessment.evidence import needs_proof, proofs
from handlers.assessment.report import report_document
from handlers.assessment.score import Result, chosen_option
from handlers.assessment.steps import Assessment
from handlers.assessment.walk import begin, flow
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Turn
from handlers.products.steps import Products
from storage.criteria_models import SECTIONS, Criterion

SHORT_LABEL = 44  # characters of a criterion's name on a button
SHORT_OPTION = 75  # characters of an option quoted in the advice (the full text is on its screen)
SHORTFALLS_SHOWN = 4
UNSURE_SHOWN = 6
NAME_IN_ADVICE = 55  # characters of a criterion's name in the advice


def _short(text: str, size: int = SHORT_LABEL) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _row(row: Criterion, **more: Any) -> dict[str, Any]:
    return {"code": row.code, "label": row.label, **more}


def result_context(scoring: Scoring, result: Result) -> dict[str, Any]:
    """The result as the template reads it: parts, total, stars, and the advice."""
    criteria = scoring.criteria
    return {
        "name": scoring.product.name,
        "version": criteria.version,
        "parts": [{"name": s, "points": result.parts[s], "max": criteria.maximum(s)}
                  for s in SECTIONS],
        "total": result.total,
        "band": result.band,
        "stars": result.stars,
        "certified": result.certified,
        "capped": result.stars < result.band,
        "next_star": result.next_star or 0,
        "points_needed": result.points_needed,
        "shortfalls": [
            _row(s.criterion, label=_short(s.criterion.label, NAME_IN_ADVICE),
                 needed=_short(s.needed.label, SHORT_OPTION), points=s.needed.points,
                 stars=s.stars,
                 chosen=s.chosen.points if s.chosen else 0)
            for s in result.shortfalls[:SHORTFALLS_SHOWN]
        ],
        "more_shortfalls": max(0, len(result.shortfalls) - SHORTFALLS_SHOWN),
        "gains": [_row(g.criterion, label=_short(g.criterion.label, NAME_IN_ADVICE),
                       step=_short(g.step.label, SHORT_OPTION), gain=g.points)
                  for g in result.gains],
        "unsure": [_row(row, label=_short(row.label)) for row in result.unsure[:UNSURE_SHOWN]],
        "more_unsure": max(0, len(result.unsure) - UNSURE_SHOWN),
        "unanswered": len(result.unanswered),
    }


@flow.ask(Assessment.RESULT)
async def result(turn: Turn) -> list[Reply]:
    """Points per part and in total, the stars it can expect, and what it lacks."""
    scoring = await scoring_of(turn)
    if scoring is None:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    scored = await score_of(turn, scoring)
    proofs_needed = await proof_lines(turn, scoring)
    if not scored.unanswered:
        await turn.store.assessments.finish(scoring.assessment.id, scored.total, scored.stars,
                                            turn.now)
    choices = [
        *(Choice(key=f"r:edit:{s}", label="assessment.edit_part",
                 context={"part": s, "points": _num(scored.parts[s]),
                          "max": _num(scoring.criteria.maximum(s))}) for s in SECTIONS),
        Choice(key="r:report", label="assessment.report"),
    ]
    current = await turn.store.criteria.current_version()
    if current is not None and current != scoring.criteria.version:  # newer criteria loaded
        choices.append(Choice(key="r:renew", label="assessment.renew",
                              context={"version": current}))
    choices += [
        Choice(key="r:product", label="assessment.to_product"),
        Choice(key="r:menu", label="common.to_menu"),
    ]
    context = {**result_context(scoring, scored), "proofs": proofs_needed}
    return [Reply(template="assessment/result", context=context, choices=tuple(choices))]


async def proof_lines(turn: Turn, scoring: Scoring) -> list[dict[str, Any]]:
    """The dossier items the chosen answers need as proof, each with whether it is in yet."""
    found = await proofs(turn.store, scoring.criteria, scoring.product.group_code)
    marks = await turn.store.products.marks(scoring.product.id)
    lines: dict[str, dict[str, Any]] = {}
    for row in scoring.scored:
        proof = found.get(row.key)
        if proof is None or proof.item is None or not needs_proof(row, scoring.answers.get(
                row.key)):
            continue
        line = lines.setdefault(proof.item.code, {
            "name": proof.item.name(turn.locale), "ready": proof.item.code in marks,
            "codes": []})
        line["codes"].append(row.code)
    return list(lines.values())


@flow.answer(Assessment.RESULT)
async def result_action(turn: Turn) -> list[Reply]:
    """Change the answers of a part, get the report, or leave."""
    scoring = await scoring_of(turn)
    if scoring is None:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    pid, action = scoring.product.id, turn.choice_arg
    if action.startswith("edit:"):
        return await turn.goto(Assessment.EDIT, pid=pid, part=action.partition(":")[2])
    if action == "report":
        document = await report_document(turn.store, turn.renderer, turn.locale, scoring,
                                         turn.now)
        context = {"name": scoring.product.name, "filename": document.filename}
        return await turn.again(Reply(template="assessment/report_sent", context=context,
                                      document=document))
    if action == "product":
        return await turn.goto(Products.VIEW, pid=pid)
    if action == "renew":
        return await renew(turn, scoring)
    return await turn.goto(Menu.MAIN)


@flow.ask(Assessment.EDIT)
async def edit(turn: Turn) -> list[Reply]:
    """The criteria of one part with the points chosen; pick one to change its answer."""
    scoring = await scoring_of(turn)
    part = str(turn.data.get("part"))
    if scoring is None or part not in SECTIONS:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    rows = [row for row in scoring.scored if row.section == part]
    choices = []
    for row in rows:
        chosen = chosen_option(row, scoring.answers)
        choices.append(Choice(key=f"c:{row.key}", label="assessment.edit_item", context={
            "code": row.code, "label": _short(row.label),
            "points": _num(chosen.points) if chosen else "",
            "unsure": row.key in scoring.answers and chosen is None,
        }))
    choices.append(Choice(key="c:back", label="common.back"))
    section = scoring.criteria.section(part)
    context = {"part": part, "label": section.label if section else ""}
    return [Reply(template="assessment/edit", context=context, choices=tuple(choices))]


@flow.answer(Assessment.EDIT)
async def edit_pick(turn: Turn) -> list[Reply]:
    """Open the picked criterion to change its answer; back to the result."""
    scoring = await scoring_of(turn)
    if scoring is None:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    row = scoring.criteria.get(turn.choice_arg)
    if row is None or not row.scored:
        return await turn.goto(Assessment.RESULT, pid=scoring.product.id)
    return await turn.goto(Assessment.CRITERION, pid=scoring.product.id, key=row.key,
                           **{"from": "edit"})


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


async def renew(turn: Turn, scoring: Scoring) -> list[Reply]:
    """Score the product again with the criteria now in use (the old answers are replaced)."""
    version = await turn.store.criteria.current_version()
    criteria = await turn.store.criteria.set_for(version, scoring.criteria.set_no) if version \
        else None
    if criteria is None:
        return await turn.again(Reply(template="assessment/no_set"))
    return await begin(turn, scoring.product, criteria)
