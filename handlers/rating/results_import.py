"""Bulk results after a council meeting: check every row, then apply all in one transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from handlers.engine.config import HandlerConfig
from handlers.rating.rules import (
    MAX_NUMBER,
    Result,
    local_today,
    make_result,
    parse_date,
    parse_score,
    problems_of,
    record,
    tell_producer,
)
from messages import Renderer
from messages.text import fold
from storage import Store

COLUMNS = (
    "product_id",
    "product_name",
    "score",
    "decision_number",
    "decision_date",
    "certificate_number",
    "authority",
)
REQUIRED = ("product_id", "score", "decision_number", "decision_date", "certificate_number")


@dataclass(frozen=True)
class Row:
    """One spreadsheet row: its number as the officer sees it, and its cells by column."""

    number: int
    cells: dict[str, Any]


@dataclass
class Plan:
    """What an import would do: results to record, rows refused with their reasons."""

    results: list[tuple[int, Result]] = field(default_factory=list)
    refused: list[tuple[int, list[tuple[str, dict[str, Any]]]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no row was refused (only then is anything applied)."""
        return not self.refused


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _product_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value).lstrip("#")
    return int(text) if text.isdigit() else None


def _score(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return parse_score(_text(value)) if _text(value) else None


def _date(value: Any) -> date | str | None:
    """A date cell: a date, None when empty, or 'bad' when it cannot be read."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    return parse_date(text) or "bad"


def _ministry(value: Any) -> bool | None:
    """Who decided: the province (empty, "tỉnh"), the ministry ("bộ"); None if unreadable."""
    text = " ".join(fold(_text(value)).replace(".", " ").split())
    # as decisions are signed: "UBND tỉnh Trà Vinh", "Tỉnh Trà Vinh", "cấp tỉnh"
    if text in ("", "tinh", "province", "ubnd tinh") or text.startswith(
        ("ubnd tinh ", "tinh ", "cap tinh")
    ):
        return False
    if text in ("bo", "ministry") or text.startswith(("bo ", "bo nn", "ministry ")):
        return True
    return None


async def plan_import(
    store: Store,
    rows: list[Row],
    now: datetime,
    config: HandlerConfig,
    province_code: str | None = None,
) -> Plan:
    """Check every row against the database and each other; nothing is written."""
    plan = Plan()
    today = local_today(now, config)
    seen_products: dict[int, int] = {}
    taken: set[str] = set()
    for row in rows:
        reasons: list[tuple[str, dict[str, Any]]] = []
        cells = row.cells
        pid = _product_id(cells.get("product_id"))
        score = _score(cells.get("score"))
        day = _date(cells.get("decision_date"))
        decision = _text(cells.get("decision_number")) or None
        number = _text(cells.get("certificate_number")) or None
        ministry = _ministry(cells.get("authority"))
        if ministry is None:
            reasons.append(("bad_authority", {"value": _text(cells.get("authority"))}))
        if pid is None:
            reasons.append(("bad_product_id", {"value": _text(cells.get("product_id"))}))
        if score is None:
            reasons.append(("bad_score", {"value": _text(cells.get("score"))}))
        if day == "bad":
            reasons.append(("bad_date", {"value": _text(cells.get("decision_date"))}))
        product = await store.products.get(pid) if pid is not None else None
        if pid is not None and product is None:
            reasons.append(("unknown_product", {"id": pid}))
        if pid is not None and pid in seen_products:
            reasons.append(("duplicate_row", {"row": seen_products[pid]}))
        if (
            product is not None
            and province_code is not None
            and await store.products.province_of(product.id) != province_code
        ):
            reasons.append(("other_province", {"id": pid}))
        name = _text(cells.get("product_name"))
        if product is not None and name and fold(name) != fold(product.name):
            reasons.append(("name_mismatch", {"expected": product.name}))
        if product is not None and score is not None and day != "bad" and ministry is not None:
            result = await make_result(
                store,
                config,
                product,
                score,
                by_ministry=ministry is True,
                decision_number=decision,
                decision_date=day if isinstance(day, date) else None,
                certificate_number=number,
            )
            reasons.extend(await problems_of(store, result, today, taken))
            if not reasons:
                plan.results.append((row.number, result))
        if pid is not None:
            seen_products.setdefault(pid, row.number)
        if number:
            taken.add(number.casefold())
        if reasons:
            plan.refused.append((row.number, reasons))
    return plan


def notice_horizon(config: HandlerConfig, now: datetime, days: int) -> date:
    """A certificate expiring on or before this day gets no congratulation: it has expired,
    or its re-rating notice is already due (`days` before expiry; that notice says what
    matters)."""
    return local_today(now, config) + timedelta(days=days)


async def _past_congratulation(
    store: Store, config: HandlerConfig, cert_id: int, now: datetime
) -> bool:
    cert = await store.certifications.get(cert_id)
    return (
        cert is not None
        and cert.certified
        and cert.expires_on is not None
        and cert.expires_on <= notice_horizon(
            config, now, await store.rules.number("rerating_opens_days"))
    )


async def apply_plan(
    store: Store, renderer: Renderer, config: HandlerConfig, plan: Plan, actor: str, now: datetime
) -> dict[int, list[int]]:
    """Record every planned result and queue one notice per producer; certificates by producer."""
    if not plan.ok:
        raise ValueError("a plan with refused rows is never applied")
    by_producer: dict[int, list[int]] = defaultdict(list)
    for _, result in plan.results:
        cert_id = await record(store, config, result, actor, now)
        if not await _past_congratulation(store, config, cert_id, now):
            by_producer[result.product.producer_id].append(cert_id)
    for producer_id, cert_ids in by_producer.items():
        await tell_producer(store, renderer, producer_id, cert_ids, now)
    await store.audit.record(actor, "results_imported", now, details={"rows": len(plan.results)})
    return dict(by_producer)


__all__ = [
    "COLUMNS", "MAX_NUMBER", "REQUIRED", "Plan", "Row", "apply_plan", "notice_horizon",
    "plan_import",
]
