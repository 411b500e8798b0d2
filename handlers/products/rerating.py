"""Re-rating a certified product: offered from its window's opening until the grace period
ends, it reopens the product's dossier as "đánh giá lại" with every answer kept."""

from __future__ import annotations

from datetime import date

from handlers.common.calendar import next_ministry_round
from handlers.common.rules import decision_in_force, grace_end, rerating_window
from handlers.engine.events import Reply
from handlers.engine.turn import Turn
from handlers.products.steps import Products
from storage.product_models import DOSSIER_OPEN, Certification, Product, ProductStatus

UNDER_WAY = DOSSIER_OPEN | {ProductStatus.ACCEPTED, ProductStatus.RATED}


async def may_rerate(turn: Turn, product: Product, cert: Certification | None,
                     today: date) -> bool:
    """Whether the product's certificate can be re-rated today (and is not being already)."""
    if cert is None or not cert.certified or cert.expires_on is None:
        return False
    if product.application == "rerating" and product.status in UNDER_WAY:
        return False
    if await turn.store.revocations.of_certification(cert.id) is not None:
        return False
    opens, _ = await rerating_window(turn.store, cert.expires_on)
    return opens <= today <= await grace_end(turn.store, cert.expires_on)


async def start_rerating(turn: Turn, product: Product, cert: Certification) -> list[Reply]:
    """Reopen the dossier as a re-rating of this certificate and show its summary."""
    store, now = turn.store, turn.now
    await store.products.set_field(product.id, "application", "rerating", now)
    await store.products.set_field(product.id, "current_stars", cert.stars, now)
    await store.products.set_field(product.id, "current_certificate",
                                   cert.certificate_number, now)
    await store.products.set_status(product.id, ProductStatus.DRAFT, now)
    await store.products.add_event(product.id, "rerating_started", turn.user.address, now,
                                   note=cert.certificate_number)
    context = {"name": product.name, "id": product.id, "number": cert.certificate_number or ""}
    return [Reply(template="products/rerating_started", context=context),
            *await turn.goto(Products.SUMMARY, pid=product.id)]


async def ministry_round(turn: Turn, cert: Certification | None, today: date,
                         revoked: bool) -> dict[str, object] | None:
    """For a product scored 90 or more that the province certified (tiềm năng 5 sao): the
    ministry's next 5-star round, from the calendar of the rules in force."""
    if cert is None or not cert.certified or revoked:
        return None
    if (await turn.store.catalog.band_for(cert.score)).stars <= cert.stars:
        return None  # not a potential: its score's band is the stars it has
    period = await next_ministry_round(turn.store, today)
    return {"send_by": period.send_by, "ends_by": period.ends_by, "article": period.article,
            "decision": await decision_in_force(turn.store)}
