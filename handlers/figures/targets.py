"""Officers set the year's target of newly certified products (the province's or a commune's)."""

from __future__ import annotations

from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Turn
from handlers.figures.common import local_today, place_name, province_seen
from handlers.figures.screen import flow, keep_state
from handlers.figures.steps import Figures
from storage.figure_models import Scope

MAX_TARGET = 10_000


@flow.ask(Figures.TARGET)
async def ask_target(turn: Turn) -> list[Reply]:
    """Ask for the number of products to certify this year."""
    allowed, province = province_seen(turn.user, turn.data.get("province"))
    if not allowed or province is None:
        return await turn.goto(Figures.MAIN, **keep_state(turn))
    year = int(turn.data.get("year") or local_today(turn.now, turn.config.zone).year)
    commune = turn.data.get("commune")
    current = await turn.store.figures.target(Scope(province=province, commune=commune), year)
    context = {"place": await place_name(turn.store, turn.renderer, turn.locale, province),
               "commune": commune, "year": year, "current": current}
    return [Reply(template="figures/ask_target", context=context,
                  choices=(Choice(key="t:back", label="common.back"),))]


@flow.answer(Figures.TARGET, accepts=TEXT, digits_are_text=True)
async def save_target(turn: Turn) -> list[Reply]:
    """Save the typed target and show the screen again."""
    allowed, province = province_seen(turn.user, turn.data.get("province"))
    if turn.choice == "t:back" or not allowed or province is None:
        return await turn.goto(Figures.MAIN, **keep_state(turn))
    typed = turn.text.replace(".", "").replace(",", "").strip()
    if not typed.isdigit() or int(typed) > MAX_TARGET:
        return await turn.again(Reply(template="figures/target_invalid",
                                      context={"max": MAX_TARGET}))
    year = int(turn.data.get("year") or local_today(turn.now, turn.config.zone).year)
    commune = turn.data.get("commune")
    scope = f"commune:{commune}" if commune else ""
    await turn.store.targets.set(province, year, int(typed), scope=scope,
                                 by=turn.user.address, now=turn.now)
    await turn.store.audit.record(turn.user.address, "target_set", turn.now,
                                  subject=f"province:{province}",
                                  details={"year": year, "scope": scope, "products": int(typed)})
    saved = Reply(template="figures/target_saved",
                  context={"year": year, "products": int(typed), "commune": commune})
    return [saved, *await turn.goto(Figures.MAIN, **keep_state(turn))]
