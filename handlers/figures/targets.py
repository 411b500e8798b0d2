"""Officers set the year's target of newly certified products (the province's or a commune's)."""

from __future__ import annotations

import re

from handlers.common.places import commune_label
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Turn
from handlers.figures.common import local_today, place_name, province_seen
from handlers.figures.screen import flow, keep_state
from handlers.figures.steps import Figures
from messages.answers import number
from messages.text import fold
from storage.figure_models import Scope

MAX_TARGET = 10_000
DECEMBER = 12
_YEAR = re.compile(r"(?:nam|cho nam|chi tieu nam)\s*(\d{4})")


def target_year(turn: Turn) -> int:
    """The year whose target is set: the one named, or the one on screen, else this year;
    from December the next one (targets are set for the year ahead)."""
    if turn.data.get("target_year"):
        return int(turn.data["target_year"])
    if turn.data.get("year"):
        return int(turn.data["year"])
    today = local_today(turn.now, turn.config.zone)
    return today.year + 1 if today.month == DECEMBER else today.year


def _named_year(turn: Turn) -> int | None:
    """A year the officer picked or typed ("năm 2027") among this one and the next."""
    this = local_today(turn.now, turn.config.zone).year
    found = _YEAR.fullmatch(fold(turn.text)) if turn.choice is None else None
    typed = turn.choice_arg if turn.choice else (found[1] if found else "")
    return int(typed) if typed in (str(this), str(this + 1)) else None


def _name(turn: Turn, commune: str | None) -> str | None:
    """The drilled-in commune's official name (its code is what the target keeps)."""
    return commune_label(turn.renderer, turn.locale, commune) if commune else None


@flow.ask(Figures.TARGET)
async def ask_target(turn: Turn) -> list[Reply]:
    """Ask for the number of products to certify this year."""
    allowed, province = province_seen(turn.user, turn.data.get("province"))
    commune = turn.data.get("commune")
    if not allowed or province is None or commune == "":  # no target for the unplaced
        return await turn.goto(Figures.MAIN, **keep_state(turn))
    year = target_year(turn)
    current = await turn.store.figures.target(Scope(province=province, commune=commune), year)
    this = local_today(turn.now, turn.config.zone).year
    other = this if year != this else this + 1
    context = {"place": await place_name(turn.store, turn.renderer, turn.locale, province),
               "commune": _name(turn, commune), "year": year, "current": current,
               "other_year": other}
    choices = (Choice(key=f"y:{other}", label="target.other_year", context={"year": other}),
               Choice(key="t:back", label="common.back"))
    return [Reply(template="figures/ask_target", context=context, choices=choices)]


@flow.answer(Figures.TARGET, accepts=TEXT, digits_are_text=True)
async def save_target(turn: Turn) -> list[Reply]:
    """Save the typed target and show the screen again."""
    allowed, province = province_seen(turn.user, turn.data.get("province"))
    if turn.choice == "t:back" or not allowed or province is None or turn.data.get(
            "commune") == "":
        return await turn.goto(Figures.MAIN, **keep_state(turn))
    if (named := _named_year(turn)) is not None:  # "năm 2027": the target of that year
        turn.data["target_year"] = named
        return await turn.again()
    typed = (number(turn.text) or turn.text).replace(".", "").replace(",", "").strip()
    if not typed.isdigit() or int(typed) > MAX_TARGET:
        return await turn.again(Reply(template="figures/target_invalid",
                                      context={"max": MAX_TARGET}))
    year = target_year(turn)
    commune = turn.data.get("commune")
    scope = f"commune:{commune}" if commune else ""
    await turn.store.targets.set(province, year, int(typed), scope=scope,
                                 by=turn.user.address, now=turn.now)
    await turn.store.audit.record(turn.user.address, "target_set", turn.now,
                                  subject=f"province:{province}",
                                  details={"year": year, "scope": scope, "products": int(typed)})
    saved = Reply(template="figures/target_saved",
                  context={"year": year, "products": int(typed),
                           "commune": _name(turn, commune)})
    return [saved, *await turn.goto(Figures.MAIN, **keep_state(turn))]
