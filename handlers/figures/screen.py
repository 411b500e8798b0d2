"""`/thongke`: an officer's province in figures on one screen, drilled down step by step."""

from __future__ import annotations

from typing import Any

from handlers.account.steps import Menu, Officer
from handlers.assessment.coaching import coaching_reply
from handlers.common.places import commune_label
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Turn
from handlers.figures.common import (
    chart_data,
    chart_of,
    filter_text,
    group_names,
    local_today,
    place_name,
    province_seen,
    scope_of,
    summary_context,
    summary_of,
)
from handlers.figures.late import commune_backlog, late_lines
from handlers.figures.steps import Figures
from storage.models import Role

flow = Flow("figures", role=Role.OFFICER)
flow.command("thongke", Figures.MAIN)

DIMENSIONS = ("commune", "group", "former", "province")
FILTERS = ("commune", "group", "former")
PICKS_SHOWN = 12  # rows of a breakdown offered as buttons
ROWS_SHOWN = 15  # rows of a breakdown listed in the text
YEARS_OFFERED = 5


def keep_state(turn: Turn, **changes: Any) -> dict[str, Any]:
    """The screen's state (province, year, drill-down) with some of it changed."""
    kept = {k: turn.data[k] for k in ("province", "year", *FILTERS) if k in turn.data}
    kept.update(changes)
    return {k: v for k, v in kept.items() if v is not None or k == "province"}


def _year(turn: Turn) -> int:
    return int(turn.data.get("year") or local_today(turn.now, turn.config.zone).year)


async def _allowed(turn: Turn) -> tuple[bool, str | None]:
    allowed, province = province_seen(turn.user, turn.data.get("province"))
    if not allowed:
        await turn.store.audit.record(turn.user.address, "denied", turn.now, subject="figures")
    return allowed, province


@flow.ask(Figures.MAIN)
async def show(turn: Turn) -> list[Reply]:
    """The figures of the province (or the country) for the year, and where to go next."""
    allowed, province = await _allowed(turn)
    if not allowed:
        return [Reply(template="figures/no_province"), *await turn.goto(Menu.MAIN)]
    year, today = _year(turn), local_today(turn.now, turn.config.zone)
    scope = scope_of(province, turn.data)
    summary = await summary_of(turn.store, scope, year, today)
    place = await place_name(turn.store, turn.renderer, turn.locale, province)
    narrowed = await filter_text(turn.store, turn.renderer, turn.locale, scope)
    await turn.store.audit.record(
        turn.user.address, "figures_viewed", turn.now, subject=f"province:{province or '*'}",
        details={"year": year, **scope.model_dump(exclude_none=True, exclude={"province"})})
    quiet = turn.data.pop("quiet", False)
    chart = None
    if not quiet:
        title = turn.renderer.label(turn.locale, "figures.chart_title", place=place, year=year)
        data = await chart_data(turn.store, scope, year, today)
        chart = await chart_of(turn.store, turn.renderer, turn.locale, title, data)
    keys = ["f:group", "f:year"]
    if province is None:
        keys.insert(0, "f:province")
    else:
        keys[:0] = ["f:commune"]
        keys.insert(2, "f:former")
    if any(k in turn.data for k in FILTERS):
        keys.append("f:clear")
    if province is not None and turn.data.get("commune") != "":  # none for the unplaced
        keys.append("f:target")
    keys.append("f:report")
    if province is not None:
        scheduled = province in await turn.store.targets.scheduled()
        keys.append("f:monthly_off" if scheduled else "f:monthly_on")
    keys.append("f:back")
    choices = tuple(Choice(key=k, label=f"figures.{k[2:]}") for k in keys)
    choices = (*choices[:-1], Choice(key="f:coach", label="assessment.coach"), choices[-1])
    funnel = await turn.store.claiming.funnel(province)
    late = late_lines(await commune_backlog(turn.store, province, today, turn.config.zone)
                      ) if province is not None else []
    context = {"place": place, "narrowed": narrowed, **summary_context(summary),
               "late_communes": late,
               "zalo": await zalo_use(turn),
               "invited": funnel.invited, "claimed_invited": funnel.claimed_invited}
    return [Reply(template="figures/screen", context=context, choices=choices, columns=2,
                  chart=chart)]


async def zalo_use(turn: Turn) -> dict[str, Any] | None:
    """The month's Zalo use, for an admin when a Zalo bot runs (else None)."""
    limit = turn.config.zalo_monthly_quota
    if turn.user.role is not Role.ADMIN or not limit:
        return None
    local = turn.now.astimezone(turn.config.zone)
    usage = await turn.store.channel_usage.get("zalo", local.strftime("%Y-%m"))
    return {"used": usage.used, "limit": limit, "month": local.strftime("%m/%Y"),
            "paused_until": usage.paused_at(turn.now)}


@flow.answer(Figures.MAIN)
async def pick(turn: Turn) -> list[Reply]:
    """Open a breakdown, another year, the target, the report, or go back."""
    allowed, province = await _allowed(turn)
    choice = turn.choice_arg
    if not allowed or choice == "back":
        return await turn.goto(Officer.MAIN)
    if choice in DIMENSIONS:
        return await turn.goto(Figures.PICK, dim=choice, **keep_state(turn))
    if choice == "year":
        return await turn.goto(Figures.YEAR, **keep_state(turn))
    if choice == "clear":
        return await turn.goto(Figures.MAIN, province=turn.data.get("province"),
                               year=_year(turn))
    if choice == "target" and province is not None:
        return await turn.goto(Figures.TARGET, **keep_state(turn))
    if choice in ("monthly_on", "monthly_off") and province is not None:
        on = choice == "monthly_on"
        await turn.store.targets.schedule(province, on, by=turn.user.address, now=turn.now)
        await turn.store.audit.record(turn.user.address, "figures_monthly_" + ("on" if on else
                                      "off"), turn.now, subject=f"province:{province}")
        turn.data["quiet"] = True
        return await turn.again(Reply(template=f"figures/{choice}"))
    if choice == "coach":
        turn.data["quiet"] = True
        return await turn.again(await coaching_reply(turn.store, province))
    if choice == "report":
        year = _year(turn)
        from handlers.figures.report import report_file  # heavy (openpyxl): only when asked

        document = await report_file(turn.store, turn.renderer, turn.locale, province, year,
                                     local_today(turn.now, turn.config.zone), turn.config.zone)
        await turn.store.audit.record(turn.user.address, "figures_report_exported", turn.now,
                                      subject=f"province:{province or '*'}",
                                      details={"year": year})
        turn.data["quiet"] = True
        return await turn.again(Reply(template="figures/report_file", document=document,
                                      context={"year": year}))
    return await turn.again()


async def _key_names(turn: Turn, dim: str, keys: list[str]) -> dict[str, str]:
    none = turn.renderer.label(turn.locale, "figures.none")
    if dim == "group":
        names = await group_names(turn.store, turn.locale)
        return {k: names.get(k, k) if k else none for k in keys}
    if dim == "province":
        return {p.code: p.name for p in await turn.store.reference.provinces()}
    if dim == "commune":
        return {k: commune_label(turn.renderer, turn.locale, k) for k in keys}
    return {k: k or none for k in keys}


@flow.ask(Figures.PICK)
async def show_breakdown(turn: Turn) -> list[Reply]:
    """A breakdown of the current scope as a list, each line a button to narrow to it."""
    allowed, province = await _allowed(turn)
    dim = turn.data.get("dim", "group")
    if not allowed or dim not in DIMENSIONS or (dim == "province") != (province is None):
        return await turn.goto(Figures.MAIN, **keep_state(turn))
    year, today = _year(turn), local_today(turn.now, turn.config.zone)
    scope = scope_of(province, turn.data)
    rows = await turn.store.figures.breakdown(scope, year, today, dim)
    names = await _key_names(turn, dim, [r.key for r in rows])
    lines = [{"name": names.get(r.key, r.key), "in_force": r.in_force.total,
              "in3": r.in_force.three, "in4": r.in_force.four, "in5": r.in_force.five,
              "new": r.new_this_year, "pipeline": r.pipeline, "expiring": r.expiring,
              "producers": r.producers} for r in rows[:ROWS_SHOWN]]
    turn.data["keys"] = [r.key for r in rows[:PICKS_SHOWN]]
    choices = [Choice(key=f"k:{i}", text=names.get(r.key, r.key)[:40])
               for i, r in enumerate(rows[:PICKS_SHOWN])]
    choices.append(Choice(key="k:back", label="common.back"))
    context = {"dim": dim, "year": year, "rows": lines, "more": max(len(rows) - ROWS_SHOWN, 0)}
    return [Reply(template="figures/breakdown", context=context, choices=tuple(choices),
                  columns=2)]


@flow.answer(Figures.PICK)
async def narrow(turn: Turn) -> list[Reply]:
    """Narrow the screen to the picked line (a province, for an admin, opens that province)."""
    keys: list[str] = turn.data.get("keys", [])
    arg = turn.choice_arg
    dim = turn.data.get("dim", "group")
    if not arg.isdigit() or int(arg) >= len(keys):
        return await turn.goto(Figures.MAIN, **keep_state(turn))
    key = keys[int(arg)]
    if dim == "province":
        return await turn.goto(Figures.MAIN, province=key, year=_year(turn))
    return await turn.goto(Figures.MAIN, **keep_state(turn, **{dim: key}))


@flow.ask(Figures.YEAR)
async def show_years(turn: Turn) -> list[Reply]:
    """Newly certified products of the last years; each year opens its screen."""
    allowed, province = await _allowed(turn)
    if not allowed:
        return await turn.goto(Menu.MAIN)
    this_year = local_today(turn.now, turn.config.zone).year
    years = list(range(this_year - YEARS_OFFERED + 1, this_year + 1))
    scope = scope_of(province, turn.data)
    targets = await turn.store.targets.by_year(province, years)
    counts = await turn.store.figures.by_year(scope, years, targets)
    rows = [{"year": c.year, "new": c.new.total, "in3": c.new.three, "in4": c.new.four,
             "in5": c.new.five, "target": c.target} for c in counts]
    choices = (*(Choice(key=f"y:{y}", text=str(y)) for y in reversed(years)),
               Choice(key="y:back", label="common.back"))
    return [Reply(template="figures/years", context={"rows": rows}, choices=choices,
                  columns=3)]


@flow.answer(Figures.YEAR)
async def pick_year(turn: Turn) -> list[Reply]:
    """Show the picked year."""
    arg = turn.choice_arg
    year = int(arg) if arg.isdigit() else _year(turn)
    return await turn.goto(Figures.MAIN, **keep_state(turn, year=year))
