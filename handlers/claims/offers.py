"""Tell a registered person, once, that the province's list has an unclaimed producer with
their phone (or their name in their province): an offer to claim, never a link."""

from __future__ import annotations

from handlers.common.notify import notify_producer
from handlers.engine.feature import ReminderContext


async def offer_matches(ctx: ReminderContext) -> int:
    """Queue one offer per (person, imported producer) match not offered yet."""
    queued = 0
    for producer_id, imported_id in await ctx.store.claiming.unoffered_matches():
        candidate = await ctx.store.existing.candidate(imported_id)
        await ctx.store.claiming.offered(producer_id, imported_id, ctx.now)
        if candidate is None:
            continue
        context = {"name": candidate.name, "products": list(candidate.products)}
        if await notify_producer(
            ctx.store, ctx.renderer, producer_id, "claims/offer_notice", context,
            kind="notice", dedupe_key=f"claim-offer:{imported_id}:{producer_id}", now=ctx.now,
        ):
            queued += 1
    return queued
