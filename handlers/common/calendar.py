"""The rounds calendar of the rules in force: the province holds a round ending before 30/6
for dossiers the commune forwards by 30/4, and one ending before 30/12 for those forwarded by
30/10; the ministry rates 5 stars before 30/9 (proposals by 30/7) and 30/3 (by 30/1). The days
are rules (data), not constants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage import Store

PROVINCE = (("I", "round1_forward_by", "round1_end"), ("II", "round2_forward_by", "round2_end"))
MINISTRY = (("I", "ministry2_proposals_by", "ministry2_end"),
            ("II", "ministry1_proposals_by", "ministry1_end"))


@dataclass(frozen=True)
class Period:
    """One round of the calendar: its number in the year, the last day dossiers (or
    proposals) may come, and the day it must end by."""

    name: str
    year: int
    send_by: date
    ends_by: date
    article: str = ""  # the decision's article that sets it, as the rules say


async def _periods(store: Store, year: int, keys: tuple[tuple[str, str, str], ...]
                   ) -> list[Period]:
    found = []
    for name, send_key, end_key in keys:
        send_day, send_month = await store.rules.day_month(send_key)
        end_day, end_month = await store.rules.day_month(end_key)
        rule = await store.rules.get(send_key)
        found.append(Period(name, year, date(year, send_month, send_day),
                            date(year, end_month, end_day), rule.article if rule else ""))
    return sorted(found, key=lambda p: p.ends_by)


async def _next(store: Store, today: date, keys: tuple[tuple[str, str, str], ...]) -> Period:
    """The first round of the calendar whose dossiers or proposals can still be sent."""
    for year in (today.year, today.year + 1):
        for period in await _periods(store, year, keys):
            if period.send_by >= today:
                return period
    raise AssertionError("a year always has its rounds")  # pragma: no cover


async def next_province_round(store: Store, today: date) -> Period:
    """The first province round whose dossiers can still be forwarded from today."""
    return await _next(store, today, PROVINCE)


async def round_for_deadline(store: Store, dossier_deadline: date) -> Period:
    """The province round a dossier deadline belongs to (the first whose forwarding day is
    not before it): the round must end by its `ends_by`."""
    return await next_province_round(store, dossier_deadline)


async def next_ministry_round(store: Store, today: date) -> Period:
    """The ministry's next 5-star round whose proposals can still be sent from today."""
    return await _next(store, today, MINISTRY)
