"""What the round flows share: a round as a template context, date rules, change notices."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from handlers.common import dates
from handlers.common.access import owned_item
from handlers.common.notify import notify_producer
from handlers.engine.events import Reply
from handlers.engine.turn import Turn
from messages import Renderer
from storage import Store
from storage.round_models import DATE_FIELDS, Round
from storage.timefmt import to_db

# The time a date typed without one means, per round date.
DEFAULT_TIMES: dict[str, time] = {
    "registration_opens_at": dates.START_OF_DAY,
    "registration_deadline": dates.END_OF_DAY,
    "dossier_deadline": dates.END_OF_DAY,
    "council_at": time(8, 0),
    "results_at": time(8, 0),
}
FIELD_KEYS = {name: str(index) for index, name in enumerate(DATE_FIELDS)}
KIND_CHOICES = {
    "all": ("first", "rerating", "upgrade"),
    "first": ("first",),
    "re": ("rerating", "upgrade"),
}


def state_of(rnd: Round, now: datetime) -> str:
    """'upcoming', 'open' or 'closed' (registration), or 'cancelled'."""
    if rnd.status != "active":
        return "cancelled"
    if now < rnd.registration_opens_at:
        return "upcoming"
    return "open" if now < rnd.registration_deadline else "closed"


def round_context(rnd: Round, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """A round as templates read it: dates, countdowns, state."""
    return {
        "id": rnd.id,
        "name": rnd.name,
        "province_code": rnd.province_code,
        "kinds": list(rnd.kinds),
        "opens": rnd.registration_opens_at,
        "registration_deadline": rnd.registration_deadline,
        "dossier_deadline": rnd.dossier_deadline,
        "council": rnd.council_at,
        "results": rnd.results_at,
        "note": rnd.note,
        "state": state_of(rnd, now),
        "registration_days": dates.days_left(rnd.registration_deadline, now, zone),
        "dossier_days": dates.days_left(rnd.dossier_deadline, now, zone),
        "opens_days": dates.days_left(rnd.registration_opens_at, now, zone),
    }


def _past(name: str, value: datetime, now: datetime, zone: ZoneInfo) -> bool:
    """Registration may open today (typed "hôm nay" it means 00:00); every other date is in
    the future."""
    if name == DATE_FIELDS[0]:
        return value.astimezone(zone).date() < now.astimezone(zone).date()
    return value <= now


def order_problem(
    values: dict[str, datetime], now: datetime, zone: ZoneInfo
) -> tuple[str, str] | None:
    """The first date in the past or not after the one before it: (field, 'past'|'order')."""
    previous: datetime | None = None
    for name in DATE_FIELDS:
        value = values.get(name)
        if value is None:
            continue
        if _past(name, value, now, zone):
            return name, "past"
        if previous is not None and value <= previous:
            return name, "order"
        previous = value
    return None


async def owned_round(turn: Turn, round_id: object) -> Round | None:
    """The round if it is still active and this officer may manage it."""
    return await owned_item(turn, round_id, turn.store.rounds.get)


def typed_date(turn: Turn, field: str) -> datetime | Reply:
    """The date typed for one of a round's `field`s, or the reply that asks again."""
    value = dates.moment(turn.text, turn.now, turn.config.zone, DEFAULT_TIMES[field])
    if value is None:
        return Reply(template="rounds/date_unreadable", context={"typed": turn.text})
    return value


def date_refused(problem: tuple[str, str], values: dict[str, datetime]) -> Reply:
    """Why a typed date is refused: in the past, or not after the date before it."""
    field, why = problem
    index = DATE_FIELDS.index(field)
    before = DATE_FIELDS[index - 1] if index > 0 else None
    context = {
        "field": field,
        "why": why,
        "value": values[field],
        "before_field": before or "",
        "before": values.get(before) if before else None,
    }
    return Reply(template="rounds/date_refused", context=context)


async def notify_round_changed(
    store: Store, renderer: Renderer, rnd: Round, change: str, now: datetime, zone: ZoneInfo
) -> int:
    """Tell every producer with a product entered in the round that it changed or was cancelled."""
    entries = await store.rounds.entries(rnd.id)
    sent = 0
    for producer_id in sorted({e.producer_id for e in entries}):
        products = [e.product_name for e in entries if e.producer_id == producer_id]
        context = {"round": round_context(rnd, now, zone), "change": change, "products": products}
        key = f"round:{rnd.id}:{change}:{to_db(now)}:producer:{producer_id}"
        sent += await notify_producer(
            store,
            renderer,
            producer_id,
            "rounds/changed",
            context,
            kind="notice",
            dedupe_key=key,
            now=now,
        )
    return sent
