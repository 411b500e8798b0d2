"""What the figures screens, the report and the monthly message share: who sees which
province, the figures of a scope with its target, and how they read in a template or a chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.common.places import commune_label
from handlers.engine.events import Chart, Series
from messages import Renderer
from storage import Store
from storage.figure_models import PIPELINE_STATUSES, Scope, Summary, YearCount
from storage.models import Role, User

YEARS_SHOWN = 4  # the chart's years: this one and the three before


def local_today(now: datetime, zone: ZoneInfo) -> date:
    """Today's date where the officers are."""
    return now.astimezone(zone).date()


def province_seen(user: User, wanted: str | None) -> tuple[bool, str | None]:
    """The province the user may see when asking for `wanted` (None: the country).

    An officer sees their own province whatever is asked; an admin sees what they ask.
    Returns (allowed, province).
    """
    if user.role is Role.ADMIN:
        return True, wanted
    if user.role is Role.OFFICER and user.officer_province:
        return True, user.officer_province
    return False, None


def scope_of(province: str | None, data: dict[str, Any]) -> Scope:
    """The scope a screen shows: the province and the drill-down picked so far."""
    return Scope(province=province, commune=data.get("commune"), group=data.get("group"),
                 former=data.get("former"))


async def summary_of(store: Store, scope: Scope, year: int, today: date) -> Summary:
    """The figures of a scope for a year, with the target that applies."""
    return await store.figures.summary(scope, year, today)


async def place_name(store: Store, renderer: Renderer, locale: str, province: str | None) -> str:
    """The province's name, or the country's."""
    found = await store.reference.province(province) if province else None
    return found.name if found else renderer.label(locale, "figures.country")


async def group_names(store: Store, locale: str) -> dict[str, str]:
    """Product group codes and their names in the locale."""
    return {g.code: g.name(locale) for g in await store.catalog.groups()}


async def filter_text(store: Store, renderer: Renderer, locale: str, scope: Scope) -> str:
    """The drill-down in words ("Xã An Lão · Thực phẩm"), empty when none."""
    parts = []
    if scope.commune is not None:
        parts.append(renderer.label(locale, "figures.in_commune",
                                    name=commune_label(renderer, locale, scope.commune)))
    if scope.group is not None:
        parts.append((await group_names(store, locale)).get(scope.group, scope.group or "—"))
    if scope.former is not None:
        parts.append(renderer.label(locale, "figures.in_former",
                                    name=scope.former or renderer.label(locale, "figures.none")))
    return " · ".join(parts)


def summary_context(summary: Summary) -> dict[str, Any]:
    """A summary as templates read it (every figure under its own name)."""
    return {
        "year": summary.year,
        "in_force": summary.in_force.total,
        "in3": summary.in_force.three,
        "in4": summary.in_force.four,
        "in5": summary.in_force.five,
        "new": summary.new_this_year.total,
        "new3": summary.new_this_year.three,
        "new4": summary.new_this_year.four,
        "new5": summary.new_this_year.five,
        "target": summary.target,
        "gap": summary.gap,
        "pipeline": [(s, summary.pipeline[s]) for s in PIPELINE_STATUSES],
        "expiring": summary.expiring,
        "expiring_on_bot": summary.expiring_on_bot,
        "expired": summary.expired,
        "producers": summary.producers,
        "claimed": summary.claimed,
        "unclaimed": summary.unclaimed,
        "active": summary.active_30d,
        "open_rounds": summary.open_rounds,
        "round_entries": summary.round_entries,
        "trainings": summary.trainings,
        "enrolled": summary.enrolled,
        "waiting": summary.waiting,
        "attended": summary.attended,
    }


@dataclass(frozen=True)
class ChartData:
    """The numbers a chart is drawn from, straight from the queries."""

    years: list[YearCount]  # newly certified by stars, and the target, per year
    groups: list[tuple[str, int]]  # group code, certified products in force


async def chart_data(store: Store, scope: Scope, year: int, today: date) -> ChartData:
    """Newly certified products by year and stars with targets; products in force by group."""
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    targets = (await store.targets.by_year(scope.province, years)
               if scope.commune is None and scope.group is None and scope.former is None else {})
    counts = await store.figures.by_year(scope, years, targets)
    rows = await store.figures.breakdown(scope, year, today, "group")
    return ChartData(
        years=counts,
        groups=[(r.key, r.in_force.total) for r in rows if r.in_force.total],
    )


async def chart_of(
    store: Store, renderer: Renderer, locale: str, title: str, data: ChartData
) -> Chart:
    """The chart of a figures screen, its words from the locale's labels."""
    names = await group_names(store, locale)
    label = renderer.label
    has_target = any(y.target is not None for y in data.years)
    stacks = (("3★", lambda y: y.new.three), ("4★", lambda y: y.new.four),
              ("5★", lambda y: y.new.five))
    return Chart(
        title=title,
        years_title=label(locale, "figures.chart_years"),
        years=tuple(str(y.year) for y in data.years),
        stacks=tuple(Series(label=name, values=tuple(float(count(y)) for y in data.years))
                     for name, count in stacks),
        target=Series(label=label(locale, "figures.chart_target"),
                      values=tuple(None if y.target is None else float(y.target)
                                   for y in data.years))
        if has_target else None,
        bars_title=label(locale, "figures.chart_groups"),
        bars=tuple((names.get(code, code or label(locale, "figures.none")), count)
                   for code, count in data.groups),
    )
