"""The screen of one criterion: where it sits, its requirement, the options and the proof."""

from __future__ import annotations

from typing import Any

from handlers.assessment.common import Scoring
from handlers.assessment.evidence import Proof, proofs
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Turn
from storage.criteria_models import CriteriaSet, Criterion


def note_lines(row: Criterion) -> list[str]:
    """The criterion's note from the source, one line per part (the source joins with " | ")."""
    return [part.strip() for part in row.note.split("|") if part.strip()]


def option_rows(row: Criterion, chosen: int | None) -> list[dict[str, Any]]:
    """The options as the template lists them, numbered from 1 in the order of the buttons."""
    return [
        {"n": n, "label": o.label, "points": o.points, "min_star": o.min_star or 0,
         "case": o.case, "chosen": o.no == chosen}
        for n, o in enumerate(row.options, start=1)
    ]


def place_of(criteria: CriteriaSet, row: Criterion) -> dict[str, Any]:
    """The part and heading a criterion sits under, for the screen's first line."""
    section = criteria.section(row.section)
    heading = criteria.heading_of(row)
    return {
        "section": row.section,
        "section_label": section.label if section else "",
        "section_max": section.max_points if section else 0,
        "heading": f"{heading.code}. {heading.label}" if heading else "",
    }


async def proof_of(turn: Turn, scoring: Scoring, row: Criterion) -> Proof | None:
    """The proof a criterion needs, if the evidence guide names one."""
    found = await proofs(turn.store, scoring.criteria, scoring.product.group_code)
    return found.get(row.key)


async def criterion_screen(turn: Turn, scoring: Scoring, row: Criterion) -> list[Reply]:
    """Ask one criterion: options as numbered lines and short buttons, then skip, back, later."""
    chosen = scoring.answers.get(row.key)
    proof = await proof_of(turn, scoring, row)
    context = {
        **place_of(scoring.criteria, row),
        "product": scoring.product.name,
        "index": scoring.index_of(row.key) + 1,
        "count": len(scoring.scored),
        "code": row.code,
        "label": row.label,
        "max": row.max_points,
        "notes": note_lines(row),
        "options": option_rows(row, chosen),
        "answered": row.key in scoring.answers,
        "unsure": row.key in scoring.answers and chosen is None,
        "evidence": proof.evidence.required if proof else "",
        "item": proof.item.name(turn.locale) if proof and proof.item else "",
        "star_legend": scoring.criteria.star_legend,
    }
    choices = [
        Choice(key=f"o:{o.no}", label="assessment.option",
               context={"n": n, "points": _points(o.points)})
        for n, o in enumerate(row.options, start=1)
    ]
    choices.append(Choice(key="o:unsure", label="assessment.unsure"))
    if proof is not None and proof.item is not None:
        choices.append(Choice(key="o:proof", label="assessment.send_proof"))
    choices += [Choice(key="o:back", label="common.back"),
                Choice(key="o:later", label="assessment.later")]
    columns = 2 if len(row.options) > 2 else 1
    return [Reply(template="assessment/criterion", context=context, choices=tuple(choices),
                  columns=columns)]


def _points(value: float) -> str:
    return f"{value:g}".replace(".", ",")
