"""What the bot keeps of a user's self-assessments, for the /xoadulieu export.

They go with the products: deleting a product (or the profile) deletes them.
"""

from __future__ import annotations

from handlers.engine.turn import Section, Turn


async def export_assessments(turn: Turn) -> list[Section]:
    """One line per product with a self-assessment: its version, answers and result."""
    if turn.user.producer_id is None:
        return []
    products = await turn.store.products.of_producer(turn.user.producer_id)
    found = await turn.store.assessments.of_products([p.id for p in products])
    lines = []
    for product in products:
        assessment = found.get(product.id)
        if assessment is None:
            continue
        answers = await turn.store.assessments.answers(assessment.id)
        lines.append(turn.renderer.label(
            turn.locale, "assessment.export_line", id=product.id, name=product.name or "…",
            version=assessment.version, answers=len(answers),
            score=f"{assessment.score:g}".replace(".", ",") if assessment.score is not None
            else "", stars=assessment.stars or 0))
    return [("assessment.section", lines)] if lines else []
