"""Revoking a certification decision (thu hồi): what may be revoked, and the recording of one
(chat and console alike): the product leaves every count in force and the producer is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handlers.common.notify import notify_producer
from handlers.engine.turn import Turn
from handlers.products.common import officer_may
from messages import Renderer
from storage import Store
from storage.product_models import Certification, Product
from storage.rules import Ground


@dataclass(frozen=True)
class Revocable:
    """A product whose current certificate may be revoked."""

    product: Product
    cert: Certification


async def revocable(store: Store, typed: str) -> Revocable | None:
    """The product named by a typed dossier code or certificate number, if its latest result is
    a certificate not yet revoked."""
    typed = typed.strip()
    cert = await store.certifications.by_number(typed) if typed else None
    if cert is None and typed.isdigit():
        cert = await store.certifications.latest_for(int(typed))
    if cert is None or not cert.certified:
        return None
    latest = await store.certifications.latest_for(cert.product_id)
    if latest is None or latest.id != cert.id:
        return None
    if await store.revocations.of_certification(cert.id) is not None:
        return None
    product = await store.products.get(cert.product_id)
    return Revocable(product, cert) if product is not None else None


async def typed_target(turn: Turn) -> Revocable | None:
    """The certified product the officer typed at this flow's first step (`typed` in its
    data), if it still is one and this officer may act on it."""
    target = await revocable(turn.store, str(turn.data.get("typed", "")))
    if target is None or not await officer_may(turn, target.product.id):
        return None
    return target


async def ground_of(store: Store, code: str) -> Ground | None:
    """The revocation ground with this code."""
    return next((g for g in await store.rules.grounds() if g.code == code), None)


async def revoke(
    store: Store, renderer: Renderer, target: Revocable, ground: Ground, *,
    decision_number: str, decision_date: date, actor: str, now: datetime,
) -> int:
    """Record the revocation, the product's history, the audit entry and the producer's notice."""
    cert, product = target.cert, target.product
    revocation = await store.revocations.record(
        cert.id, ground=ground.code, decision_number=decision_number,
        decision_date=decision_date, by=actor, now=now)
    await store.products.add_event(product.id, "revoked", actor, now, note=decision_number)
    await store.audit.record(actor, "certificate_revoked", now, subject=f"product:{product.id}",
                             details={"certificate": cert.certificate_number,
                                      "ground": ground.code, "decision": decision_number,
                                      "date": decision_date.isoformat()})
    await notify_producer(
        store, renderer, product.producer_id, "revocation/notice",
        {"name": product.name, "id": product.id, "number": cert.certificate_number or "",
         "decision_number": decision_number, "decision_date": decision_date,
         "ground_vi": ground.name_vi, "ground_en": ground.name_en},
        kind="notice", dedupe_key=f"revoked:{cert.id}", now=now, urgent=True)
    return revocation
