"""Certify a product as an officer's recorded result does (for tests that start from one)."""

from __future__ import annotations

from datetime import date, datetime

from handlers.engine.config import HandlerConfig
from handlers.rating.rules import make_result, record
from storage import Database
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
