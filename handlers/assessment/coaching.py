"""Coaching candidates: products whose self-score is close to the next star (for /thongke).

Kept apart from the rest of the feature so that the figures can use it without the products.
"""

from __future__ import annotations

from handlers.engine.events import Reply
from storage import Store

CLOSE_POINTS = 5.0  # a self-score this close under the next band makes a coaching candidate
CANDIDATES_SHOWN = 20


async def coaching_reply(store: Store, province: str | None) -> Reply:
    """Products whose finished self-score is a few points under the next star (to coach)."""
    found = await store.assessments.close_to_next_star(province, CLOSE_POINTS)
    bands = sorted(b.min_score for b in await store.catalog.star_bands() if b.certified)
    rows = [{"id": c.product_id, "name": c.name, "producer": c.producer, "score": c.score,
             "next": next((m for m in bands if m > c.score), 0.0),
             "stars": c.stars, "capped": c.band > c.stars} for c in found[:CANDIDATES_SHOWN]]
    context = {"rows": rows, "count": len(found), "within": CLOSE_POINTS}
    return Reply(template="assessment/coaching", context=context)
