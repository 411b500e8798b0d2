"""Rating results: the checks a result must pass and the recording of one (chat and import)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from handlers.common.notify import notify_producer
from handlers.engine.config import HandlerConfig
from handlers.products.common import certificate_context
from messages import Renderer
from messages.answers import number
from storage import Store
from storage.product_models import Product, ProductStatus, StarBand

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
MAX_NUMBER = 60


def parse_score(text: str) -> float | None:
    """A typed score ("72", "72,5", "72.5", "82 điểm"); None if it is not a number."""
    try:
        return float((number(text) or text).strip().replace(",", "."))
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """A typed calendar date: dd/mm/yyyy (also with - or .) or yyyy-mm-dd; None if invalid."""
    text = text.strip()
    try:
        if m := _DMY.match(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_today(now: datetime, config: HandlerConfig) -> date:
    """Today's date in the bot's time zone."""
    return now.astimezone(config.zone).date()


@dataclass(frozen=True)
class Result:
    """A rating result to record for one product."""

    product: Product
    score: float
    band: StarBand
    stars: int  # the band's stars, capped at the province's limit unless the ministry decided
    decision_number: str | None
    decision_date: date | None
    certificate_number: str | None

    @property
    def potential(self) -> bool:
        """A province result whose score reaches a band only the ministry can award."""
        return self.band.stars > self.stars


async def make_result(
    store: Store,
    config: HandlerConfig,
    product: Product,
    score: float,
    *,
    by_ministry: bool = False,
    decision_number: str | None = None,
    decision_date: date | None = None,
    certificate_number: str | None = None,
) -> Result:
    """A result with its band and the stars the deciding authority can award."""
    band = await store.catalog.band_for(score)
    top = await store.rules.number("province_max_stars")
    stars = band.stars if by_ministry else min(band.stars, top)
    return Result(
        product=product,
        score=score,
        band=band,
        stars=stars,
        decision_number=decision_number,
        decision_date=decision_date,
        certificate_number=certificate_number,
    )


async def problems_of(
    store: Store, result: Result, today: date, taken: set[str] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """Why a result cannot be recorded, as (reason code, details); empty when it can."""
    found: list[tuple[str, dict[str, Any]]] = []
    if result.product.status is not ProductStatus.ACCEPTED:
        found.append(("not_ready", {"status": result.product.status.value}))
    if not 0 <= result.score <= 100:
        found.append(("score_range", {"score": result.score}))
    if result.decision_date is not None and result.decision_date > today:
        found.append(("future_date", {"date": result.decision_date}))
    if result.band.certified:
        if not result.decision_number:
            found.append(("decision_missing", {}))
        if result.decision_date is None:
            found.append(("date_missing", {}))
        number = result.certificate_number
        if not number:
            found.append(("certificate_missing", {}))
        elif await store.certifications.number_used(number) or (
            taken is not None and number.casefold() in taken
        ):
            found.append(("certificate_used", {"number": number}))
    for value in (result.decision_number, result.certificate_number):
        if value and len(value) > MAX_NUMBER:
            found.append(("too_long", {"limit": MAX_NUMBER}))
    return found


async def record(
    store: Store, config: HandlerConfig, result: Result, actor: str, now: datetime
) -> int:
    """Store the result, move the product on, write its history and the audit log."""
    product, band = result.product, result.band
    months = await store.rules.number("cert_validity_months")
    expires = (
        add_months(result.decision_date, months)
        if band.certified and result.decision_date
        else None
    )
    cert_id = await store.certifications.record(
        product.id,
        score=result.score,
        stars=result.stars,
        certified=band.certified,
        certificate_number=result.certificate_number if band.certified else None,
        decision_number=result.decision_number,
        decision_date=result.decision_date,
        expires_on=expires,
        recorded_by=actor,
        now=now,
    )
    await store.products.set_status(product.id, ProductStatus.RATED, now)
    await store.products.add_event(
        product.id, "rated", actor, now, note=f"{result.score:g} → {result.stars}★"
    )
    final = ProductStatus.CERTIFIED if band.certified else ProductStatus.NOT_CERTIFIED
    await store.products.set_status(product.id, final, now)
    await store.products.add_event(
        product.id,
        final.value,
        actor,
        now,
        note=result.certificate_number if band.certified else None,
    )
    await store.audit.record(
        actor,
        "result_recorded",
        now,
        subject=f"product:{product.id}",
        details={
            "score": result.score,
            "stars": result.stars,
            "certificate": result.certificate_number,
            "decision": result.decision_number,
        },
    )
    return cert_id


async def notice_context(store: Store, cert_ids: list[int]) -> list[dict[str, Any]]:
    """The results of a notice, as its template reads them."""
    rows = []
    for cert_id in cert_ids:
        cert = await store.certifications.get(cert_id)
        assert cert is not None
        product = await store.products.get(cert.product_id)
        assert product is not None
        band = await store.catalog.band_for(cert.score)
        potential = band.stars > cert.stars
        rows.append({**certificate_context(cert), "potential": potential, "name": product.name})
    return rows


async def tell_producer(
    store: Store, renderer: Renderer, producer_id: int, cert_ids: list[int], now: datetime
) -> bool:
    """Queue one urgent notice with these results to the producer (once per set of results)."""
    results = await notice_context(store, cert_ids)
    key = "cert:" + "+".join(str(i) for i in sorted(cert_ids))
    return await notify_producer(
        store,
        renderer,
        producer_id,
        "results/notice",
        {"results": results},
        kind="notice",
        dedupe_key=key,
        now=now,
        urgent=True,
    )
