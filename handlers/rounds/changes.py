"""Officers open a round they manage, change one of its dates, or cancel it; producers
with a product entered are told."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.rounds.common import (
    FIELD_KEYS,
    date_refused,
    notify_round_changed,
    order_problem,
    owned_round,
    round_context,
    typed_date,
)
from handlers.rounds.steps import Rounds
from messages import Renderer
from storage import Store
from storage.models import Role
from storage.rounds import DATE_FIELDS, Round
from storage.timefmt import to_db

flow = Flow("rounds", role=Role.OFFICER)


@flow.ask(Rounds.DETAIL)
async def detail(turn: Turn) -> list[Reply]:
    """Show a round with its entries, and what the officer can do with it."""
    rnd = await owned_round(turn, turn.data.get("round_id"))
    if rnd is None:
        return [Reply(template="rounds/not_found"), *await turn.goto(Rounds.MANAGE)]
    entries = await turn.store.rounds.entries(rnd.id)
    choices = (
        Choice(key="d:edit", label="rounds.change_date"),
        Choice(key="d:cancel", label="rounds.cancel"),
        Choice(key="d:back", label="common.back"),
    )
    context = {
        "round": round_context(rnd, turn.now, turn.config.zone),
        "entries": [e.product_name for e in entries],
    }
    return [Reply(template="rounds/officer_detail", context=context, choices=choices)]


@flow.answer(Rounds.DETAIL)
async def act(turn: Turn) -> list[Reply]:
    """Change a date, cancel the round, or go back."""
    round_id = turn.data["round_id"]
    if turn.choice == "d:edit":
        return await turn.goto(Rounds.EDIT_PICK, round_id=round_id)
    if turn.choice == "d:cancel":
        return await turn.goto(Rounds.CANCEL_CONFIRM, round_id=round_id)
    return await turn.goto(Rounds.MANAGE)


@flow.ask(Rounds.EDIT_PICK)
async def edit_pick(turn: Turn) -> list[Reply]:
    """Ask which date to change."""
    choices = (
        *(Choice(key=f"f:{FIELD_KEYS[n]}", label=f"rounds.field_{n}") for n in DATE_FIELDS),
        Choice(key="f:back", label="common.back"),
    )
    return [Reply(template="rounds/ask_which_date", choices=choices)]


@flow.answer(Rounds.EDIT_PICK)
async def take_pick(turn: Turn) -> list[Reply]:
    """Ask the new value of the picked date."""
    if turn.choice == "f:back":
        return await turn.goto(Rounds.DETAIL, round_id=turn.data["round_id"])
    field = DATE_FIELDS[int(turn.choice_arg)]
    return await turn.goto(Rounds.EDIT_DATE, round_id=turn.data["round_id"], field=field)


@flow.ask(Rounds.EDIT_DATE)
async def ask_new_date(turn: Turn) -> list[Reply]:
    """Ask the new value of one date."""
    return [
        Reply(
            template="rounds/ask_date",
            context={"field": turn.data["field"]},
            choices=(Choice(key="e:back", label="common.back"),),
        )
    ]


@flow.answer(Rounds.EDIT_DATE, accepts=TEXT, digits_are_text=True)
async def take_new_date(turn: Turn) -> list[Reply]:
    """Change the date (still in order), tell the producers entered, and log it."""
    round_id, field = turn.data["round_id"], turn.data["field"]
    if turn.choice == "e:back":
        return await turn.goto(Rounds.DETAIL, round_id=round_id)
    rnd = await owned_round(turn, round_id)
    if rnd is None:
        return [Reply(template="rounds/not_found"), *await turn.goto(Rounds.MANAGE)]
    value = typed_date(turn, field)
    if isinstance(value, Reply):
        return await turn.again(value)
    values = {name: getattr(rnd, name) for name in DATE_FIELDS}
    values[field] = value
    problem = date_change_problem(rnd, field, value, turn.now, turn.config.zone)
    if problem is not None:
        return await turn.again(date_refused(problem, values))
    told = await change_round_date(
        turn.store, turn.renderer, turn.user.address, rnd, field, value, turn.now,
        turn.config.zone,
    )
    return [
        Reply(
            template="rounds/date_changed", context={"field": field, "value": value, "told": told}
        ),
        *await turn.goto(Rounds.DETAIL, round_id=rnd.id),
    ]


def _ordered(values: dict[str, datetime]) -> bool:
    ordered = [values[name] for name in DATE_FIELDS]
    return all(a < b for a, b in pairwise(ordered))


@flow.ask(Rounds.CANCEL_CONFIRM)
async def ask_cancel(turn: Turn) -> list[Reply]:
    """Ask before cancelling a round."""
    rnd = await owned_round(turn, turn.data.get("round_id"))
    if rnd is None:
        return [Reply(template="rounds/not_found"), *await turn.goto(Rounds.MANAGE)]
    entries = await turn.store.rounds.entries(rnd.id)
    choices = (
        Choice(key="x:yes", label="rounds.cancel_yes"),
        Choice(key="x:no", label="common.back"),
    )
    context = {"name": rnd.name, "entered": len(entries)}
    return [Reply(template="rounds/cancel_confirm", context=context, choices=choices)]


@flow.answer(Rounds.CANCEL_CONFIRM)
async def cancel(turn: Turn) -> list[Reply]:
    """Cancel the round and tell every producer with a product entered."""
    rnd = await owned_round(turn, turn.data["round_id"])
    if turn.choice != "x:yes" or rnd is None:
        return await turn.goto(Rounds.DETAIL, round_id=turn.data["round_id"])
    told = await cancel_round(
        turn.store, turn.renderer, turn.user.address, rnd, turn.now, turn.config.zone
    )
    return [
        Reply(template="rounds/cancelled", context={"name": rnd.name, "told": told}),
        *await turn.goto(Rounds.MANAGE),
    ]


async def cancel_round(
    store: Store, renderer: Renderer, actor: str, rnd: Round, now: datetime, zone: ZoneInfo
) -> int:
    """Cancel a round (audited) and tell every producer with a product entered; how many."""
    await store.rounds.cancel(rnd.id, now)
    await store.audit.record(
        actor, "round_cancelled", now, subject=f"round:{rnd.id}", details={"name": rnd.name}
    )
    cancelled = await store.rounds.get(rnd.id)
    assert cancelled is not None
    return await notify_round_changed(store, renderer, cancelled, "cancelled", now, zone)


def date_change_problem(
    rnd: Round, field: str, value: datetime, now: datetime, zone: ZoneInfo
) -> tuple[str, str] | None:
    """Why a round's date cannot become `value` ((field, 'past'|'order')), or None."""
    values = {name: getattr(rnd, name) for name in DATE_FIELDS}
    values[field] = value
    past_ok = {n: v for n, v in values.items() if n == field or v > now}
    problem = order_problem(past_ok, now, zone)
    if problem is None and not _ordered(values):
        return field, "order"
    return problem


async def change_round_date(
    store: Store, renderer: Renderer, actor: str, rnd: Round, field: str, value: datetime,
    now: datetime, zone: ZoneInfo,
) -> int:
    """Set a checked date of a round (audited) and tell the producers entered; how many."""
    await store.rounds.set_date(rnd.id, field, value, now)
    await store.audit.record(
        actor, "round_date_changed", now, subject=f"round:{rnd.id}",
        details={"field": field, "old": to_db(getattr(rnd, field)), "new": to_db(value)},
    )
    changed = await store.rounds.get(rnd.id)
    assert changed is not None
    return await notify_round_changed(store, renderer, changed, "date", now, zone)
