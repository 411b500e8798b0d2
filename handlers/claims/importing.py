"""Import a province's existing certified products: check every row, then create all or none.

Producers not on the bot yet are created unclaimed; their certificates are real certificate
records, so expiry reminders start as soon as someone claims the producer. Nobody is
congratulated for a certificate from an earlier year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from handlers.claims import values
from handlers.claims.headers import COLUMNS, REQUIRED
from handlers.claims.import_rows import (
    NewProducer,
    new_producer,
    probable_duplicates,
    province_cell,
    row_key,
)
from handlers.common.fields import phone_e164
from handlers.common.product_code import code_of_row
from handlers.engine.config import HandlerConfig
from messages import Renderer
from messages.text import normalize, search
from storage import Store
from storage.existing import ImportedProduct

__all__ = ["COLUMNS", "REQUIRED", "Plan", "Row", "apply_plan", "plan_import"]

SOON = timedelta(days=90)  # "expiring soon" in the preview, as provincial reports count it


@dataclass(frozen=True)
class Row:
    """One spreadsheet row: its number as the officer sees it, and its cells by column."""

    number: int
    cells: dict[str, Any]
    raw: tuple[Any, ...] = ()  # the row as written, for the file of refused rows


@dataclass
class Planned:
    """A product the import creates; `producer` is an existing id or a new producer's key."""

    row: int
    producer: int | str
    item: dict[str, Any]


Reason = tuple[str, dict[str, Any]]


@dataclass
class Plan:
    """What an import would do, and what it would refuse."""

    products: list[Planned] = field(default_factory=list)
    new_producers: dict[str, NewProducer] = field(default_factory=dict)
    matched: set[int] = field(default_factory=set)
    already: int = 0
    refused: list[tuple[int, list[Reason]]] = field(default_factory=list)
    warnings: list[tuple[int, Reason]] = field(default_factory=list)
    duplicates: list[list[str]] = field(default_factory=list)
    expired: int = 0
    expiring: int = 0
    unknown_expiry: int = 0
    unknown_entity: int = 0
    no_set: int = 0

    @property
    def ok(self) -> bool:
        """True when no row was refused (only then is anything created)."""
        return not self.refused


@dataclass
class _Context:
    store: Store
    renderer: Renderer
    config: HandlerConfig
    today: date
    province: str | None
    entity_options: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


async def plan_import(
    store: Store, renderer: Renderer, config: HandlerConfig, rows: list[Row], now: datetime,
    province_code: str | None = None,
) -> Plan:
    """Check every row against the database and each other; nothing is written."""
    ctx = _Context(store, renderer, config, now.astimezone(config.zone).date(), province_code)
    ctx.entity_options = values.entity_words(
        renderer, [e.code for e in await store.reference.entity_types()]
    )
    provinces = await store.reference.provinces()
    sets = await store.catalog.sets()
    set_options = [(s.code, (s.name_vi, s.name_en)) for s in sets]
    group_of = {s.code: s.group_code for s in sets}
    bands = {b.stars: b.min_score for b in await store.catalog.star_bands()}
    months = await store.rules.number("cert_validity_months")
    known = await store.existing.producers()
    by_phone = {p.phone: p.id for p in known if p.phone}
    by_name = {(p.province_code, normalize(p.name)): p.id for p in known if p.name}
    numbers = await store.existing.certificate_numbers()
    product_keys = await store.existing.product_keys()
    row_keys = await store.existing.row_keys()
    row_keys |= {row_key(province, producer, name_key, {"decision_number": number},
                         f"{stars}:{year}")
                 for province, producer, name_key, number, stars, year
                 in await store.existing.unkeyed_rows()}  # imported by an earlier version
    plan = Plan()
    seen_numbers: dict[str, int] = {}
    seen_codes: set[str] = set()
    seen_products: dict[tuple[int | str, str], int] = {}
    for row in rows:
        reasons: list[Reason] = []
        cells = {key: values.text_of(value) if key != "decision_date" else value
                 for key, value in row.cells.items()}
        raw = row.cells
        given = raw.get("product_name")
        name = given if isinstance(given, str) else values.text_of(given)  # kept as written
        if not name.strip():
            reasons.append(("missing", {"column": "product_name"}))
        stars = values.stars_of(raw.get("stars"))
        if stars is None:
            reasons.append(("bad_stars", {"value": cells.get("stars", "")}))
        score = values.score_of(raw.get("score"))
        if score == "bad":
            reasons.append(("bad_score", {"value": cells.get("score", "")}))
        decided = values.decided_of(raw.get("decision_date"))
        if decided is None and (dated := values.dated_number(raw.get("decision_number"))):
            cells["decision_number"], decided = dated  # "1234/QĐ-UBND ngày 15/11/2023"
        if decided in ("bad", "several"):
            reason = "bad_date" if decided == "bad" else "several_years"
            reasons.append((reason, {"value": values.text_of(raw.get("decision_date"))}))
        authority = values.authority_of(raw.get("authority"))
        if authority is None:
            reasons.append(("bad_authority", {"value": cells.get("authority", "")}))
        place = province_cell(cells.get("province", ""), provinces, province_code)
        if place is None:
            reasons.append(("bad_province", {"value": cells.get("province", "")}))
        elif province_code is not None and place[0] != province_code:
            reasons.append(("other_province", {"value": cells.get("province", "")}))
        phone = None
        if cells.get("phone"):
            phone = phone_e164(cells["phone"])
            if phone is None:
                reasons.append(("bad_phone", {"value": cells["phone"]}))
        day = decided.day if isinstance(decided, values.Decided) else None
        if authority == "district" and stars is not None and stars != 3:
            reasons.append(("district_stars", {"stars": stars}))
        if authority == "district" and day is not None and day >= values.DISTRICT_LEVEL_ENDED:
            reasons.append(("district_ended", {"date": day}))
        number = cells.get("certificate_number") or None
        if number and number.upper() in seen_numbers:
            reasons.append(("duplicate_row", {"row": seen_numbers[number.upper()]}))
        code = await code_of_row(store, cells.get("product_code", ""), seen_codes, ctx.today)
        if isinstance(code, tuple):
            reasons.append(code)
        if reasons or place is None or stars is None:
            plan.refused.append((row.number, reasons))
            continue
        if number:
            seen_numbers[number.upper()] = row.number
        producer_name = cells.get("producer_name", "")
        key: int | str
        if phone and phone in by_phone:
            key = by_phone[phone]
        elif producer_name and (place[0], normalize(producer_name)) in by_name:
            key = by_name[(place[0], normalize(producer_name))]
        elif phone:
            key = f"phone:{phone}"
        elif producer_name:
            key = f"name:{place[0]}:{normalize(producer_name)}"
        else:
            key = f"row:{row.number}"
        product_key = values.loose(name)
        year = decided.year if isinstance(decided, values.Decided) else None
        identity = row_key(place[0], producer_name, product_key, cells, f"{stars}:{year}")
        if (key, product_key) in seen_products:
            plan.refused.append(
                (row.number, [("duplicate_row", {"row": seen_products[(key, product_key)]})])
            )
            continue
        seen_products[(key, product_key)] = row.number
        if (number and number.upper() in numbers) or identity in row_keys or (
            isinstance(key, int) and (key, product_key) in product_keys
        ):
            plan.already += 1
            continue
        if isinstance(key, int):
            plan.matched.add(key)
        elif key not in plan.new_producers:
            plan.new_producers[key] = new_producer(ctx.entity_options, cells, phone, place[0])
        expires = values.add_months(day, months) if day else None
        if expires is None:
            plan.unknown_expiry += 1
        elif expires < ctx.today:
            plan.expired += 1
            plan.warnings.append((row.number, ("expired", {"date": expires})))
        elif expires <= ctx.today + SOON:
            plan.expiring += 1
        set_code = None
        if cells.get("product_set"):
            found = search(cells["product_set"], set_options)
            set_code = found[0] if len(found) == 1 else None
        if set_code is None:
            plan.no_set += 1
        plan.products.append(Planned(row.number, key, {
            "name": name, "name_key": product_key, "set_code": set_code,
            "group_code": group_of.get(set_code or ""), "stars": stars,
            "score": score if isinstance(score, float) else bands.get(stars, 0.0),
            "score_known": isinstance(score, float),
            "certificate_number": number,
            "decision_number": cells.get("decision_number") or None,
            "decision_date": day,
            "decision_year": year,
            "expires_on": expires,
            "authority": authority or ("ministry" if stars == 5 else "province"),
            "authority_text": cells.get("authority", ""), "former_province": place[1],
            "product_code": code,
            "row_key": identity,
        }))
    plan.unknown_entity = sum(1 for p in plan.new_producers.values() if not p.entity_known)
    plan.duplicates = probable_duplicates(ctx.entity_options, plan.new_producers, known)
    return plan


async def apply_plan(
    store: Store, plan: Plan, actor: str, now: datetime, skip_bad: bool = False
) -> dict[str, int]:
    """Create the planned producers and products (with refused rows only when skip_bad);
    no notice is sent to anyone."""
    if not plan.ok and not skip_bad:
        raise ValueError("a plan with refused rows is applied only when told to skip them")
    created: dict[str, int] = {}
    for key, producer in plan.new_producers.items():
        created[key] = await store.existing.create_producer(
            producer.fields, producer.entity_known, actor, now
        )
    for planned in plan.products:
        producer_id = (
            planned.producer if isinstance(planned.producer, int) else created[planned.producer]
        )
        await store.existing.create_product(
            ImportedProduct(producer_id=producer_id, source_row=planned.row, **planned.item),
            actor, now,
        )
    await store.places.place_producers()  # the new producers' communes, where known
    summary = {"products": len(plan.products), "producers": len(created),
               "matched": len(plan.matched), "already": plan.already,
               "refused": len(plan.refused)}
    await store.audit.record(actor, "certified_imported", now, details=summary)
    return summary
