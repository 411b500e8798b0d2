"""Dossiers sent, and a product certified as an officer's recorded result does, for tests that
start from them."""

from __future__ import annotations

from datetime import date, datetime

from handlers.engine.config import HandlerConfig
from handlers.rating.rules import make_result, record
from storage import Database, Store
from storage.product_models import ProductStatus


async def certify(db: Database, pid: int, now: datetime, number: str, *, score: float = 75,
                  decided: date = date(2026, 3, 2)) -> int:
    """Accept the product's dossier and record a certified result; the certificate's id."""
    async with db.transaction() as store:
        await store.products.set_status(pid, ProductStatus.ACCEPTED, now)
        product = await store.products.get(pid)
        assert product is not None
        result = await make_result(store, HandlerConfig(), product, score,
                                   decision_number=f"{number}/QĐ", decision_date=decided,
                                   certificate_number=number)
        return await record(store, HandlerConfig(), result, "telegram:100", now)


async def sent_dossier(store: Store, producer_id: int, name: str, sent_at: datetime) -> int:
    """A dossier of the producer, named `name` and sent at `sent_at`; its product id."""
    pid = await store.products.create_draft(producer_id, sent_at)
    await store.products.set_field(pid, "name", name, sent_at)
    await store.products.set_status(pid, ProductStatus.SUBMITTED, sent_at)
    return pid
