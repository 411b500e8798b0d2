"""What officers see of a product's self-assessment: the score, the stars, the unmet minimums."""

from __future__ import annotations

from typing import Any

from handlers.assessment.common import scoring_for
from handlers.assessment.score import result_of
from messages.render import format_number
from storage import Store
from storage.product_models import Product

UNMET_SHOWN = 5


async def self_score(store: Store, product: Product) -> dict[str, Any] | None:
    """The self-assessment as officers read it; None if the producer has not started one."""
    scoring = await scoring_for(store, product)
    if scoring is None:
        return None
    result = result_of(scoring.criteria, scoring.answers, await store.catalog.star_bands())
    unmet = [{"code": s.criterion.code, "label": s.criterion.label, "stars": s.stars}
             for s in result.shortfalls]
    return {
        "version": scoring.criteria.version,
        "total": result.total,
        "stars": result.stars,
        "certified": result.certified,
        "answered": len(scoring.answers),
        "count": len(scoring.scored),
        "finished": not result.unanswered,
        "updated_at": scoring.assessment.updated_at,
        "unmet": unmet[:UNMET_SHOWN],
        "more_unmet": max(0, len(unmet) - UNMET_SHOWN),
    }


async def self_score_page(store: Store, product: Product, locale: str) -> dict[str, Any]:
    """The self-assessment for the console's dossier page, its total written for the locale."""
    found = await self_score(store, product) or {}
    total = format_number(found["total"], locale) if found else ""
    return {"self_score": found, "self_total": total}


async def side_by_side(store: Store, product: Product, council: float,
                       council_stars: int) -> dict[str, Any]:
    """The producer's self-score beside the council's score (assessment/side_by_side.j2)."""
    found = await self_score(store, product) or {}
    return {"self": found, "council": council, "council_stars": council_stars,
            "gap": council - found["total"] if found else 0}



async def self_scores(store: Store, products: list[Product], locale: str) -> dict[int, str]:
    """Each product's self-score as a short text ("70 (3★)"), for a table beside the council's."""
    shown: dict[int, str] = {}
    for product in products:
        found = await self_score(store, product)
        if found:
            shown[product.id] = f"{format_number(found['total'], locale)} ({found['stars']}★)"
    return shown
