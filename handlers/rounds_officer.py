"""Officers create rating rounds in chat, change their dates, or cancel them."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from handlers import dates, fields
from handlers.events import Choice, Reply
from handlers.registry import TEXT, Flow
from handlers.rounds_common import (
    DEFAULT_TIMES,
    FIELD_KEYS,
    KIND_CHOICES,
    managed_province,
    may_manage,
    notify_round_changed,
    order_problem,
    round_context,
)
from handlers.turn import Turn
from storage.models import Role
from storage.rounds import DATE_FIELDS, NewRound, Round
from storage.timefmt import from_db, to_db

flow = Flow("rounds", role=Role.OFFICER)
BACK = Choice(key="r:back", label="common.back")


async def _owned(turn: Turn, round_id: object) -> Round | None:
    """The round if it is still active and this officer may manage it (a round cancelled
    meanwhile, e.g. by another officer, can be neither changed nor cancelled again)."""
    try:
        rnd = await turn.store.rounds.get(int(str(round_id)))
    except ValueError:
        return None
    if rnd is None or rnd.status != "active":
        return None
    return rnd if may_manage(turn.user, rnd.province_code) else None


@flow.ask("manage")
async def manage(turn: Turn) -> list[Reply]:
    """List the rounds this officer manages, and offer a new one."""
    rounds = await turn.store.rounds.managed(managed_province(turn.user), turn.now)
    zone = turn.config.zone
    choices = (
        *(Choice(key=f"r:{r.id}", text=r.name) for r in rounds),
        Choice(key="r:new", label="rounds.new"),
        Choice(key="r:back", label="common.back"),
    )
    context = {"rounds": [round_context(r, turn.now, zone) for r in rounds]}
    return [Reply(template="rounds/officer_list", context=context, choices=choices)]


@flow.answer("manage")
async def pick_round(turn: Turn) -> list[Reply]:
    """Open a round, start a new one, or go back."""
    if turn.choice == "r:back":
        return await turn.goto("officer.main")
    if turn.choice == "r:new":
        if managed_province(turn.user) is None:
            return await turn.goto("rounds.new_province")
        return await turn.goto("rounds.new_name", province=managed_province(turn.user))
    rnd = await _owned(turn, turn.choice_arg)
    if rnd is None:
        return await turn.again(Reply(template="rounds/not_found"))
    return await turn.goto("rounds.detail", round_id=rnd.id)


@flow.ask("new_province")
async def ask_province(turn: Turn) -> list[Reply]:
    """An admin says which province the round is for."""
    return [await fields.question(turn, "province_code")]


@flow.answer("new_province", accepts=TEXT)
async def take_province(turn: Turn) -> list[Reply]:
    """Take the province, then ask the name."""
    try:
        code = await fields.parse(turn, "province_code")
    except fields.Invalid as invalid:
        return await fields.refusal(turn, invalid)
    return await turn.goto("rounds.new_name", province=code)


@flow.ask("new_name")
async def ask_name(turn: Turn) -> list[Reply]:
    """Ask the round's name."""
    return [Reply(template="rounds/ask_name", choices=(BACK,))]


@flow.answer("new_name", accepts=TEXT, digits_are_text=True)
async def take_name(turn: Turn) -> list[Reply]:
    """Take the name (unique in the province), then ask which applications it takes."""
    if turn.choice == "r:back":
        return await turn.goto("rounds.manage")
    try:
        name = fields.clean_name(turn.text, turn.config.max_name_length)
    except fields.Invalid as invalid:
        return await turn.again(*invalid.replies)
    if await turn.store.rounds.exists(turn.data["province"], name):
        return await turn.again(Reply(template="rounds/name_taken", context={"name": name}))
    return await turn.goto("rounds.new_kinds", province=turn.data["province"], name=name)


@flow.ask("new_kinds")
async def ask_kinds(turn: Turn) -> list[Reply]:
    """Ask which kinds of application the round takes."""
    choices = tuple(Choice(key=f"k:{key}", label=f"rounds.kinds_{key}") for key in KIND_CHOICES)
    return [Reply(template="rounds/ask_kinds", choices=choices)]


@flow.answer("new_kinds")
async def take_kinds(turn: Turn) -> list[Reply]:
    """Take the kinds, then ask the first date."""
    turn.data["kinds"] = list(KIND_CHOICES[turn.choice_arg])
    return await turn.goto("rounds.new_date", **turn.data, field=DATE_FIELDS[0])


@flow.ask("new_date")
async def ask_date(turn: Turn) -> list[Reply]:
    """Ask one of the round's dates."""
    return [Reply(template="rounds/ask_date", context={"field": turn.data["field"]})]


def _typed_date(turn: Turn, field: str) -> datetime | Reply:
    """The date typed for `field`, or the reply that asks again with an example."""
    value = dates.moment(turn.text, turn.now, turn.config.zone, DEFAULT_TIMES[field])
    if value is None:
        return Reply(template="rounds/date_unreadable", context={"typed": turn.text})
    return value


def _problem_reply(problem: tuple[str, str], values: dict[str, datetime]) -> Reply:
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


@flow.answer("new_date", accepts=TEXT, digits_are_text=True)
async def take_date(turn: Turn) -> list[Reply]:
    """Take one date (in the future, after the previous one), then the next or the note."""
    field = turn.data["field"]
    value = _typed_date(turn, field)
    if isinstance(value, Reply):
        return await turn.again(value)
    values = {n: from_db(turn.data[n]) for n in DATE_FIELDS if n in turn.data}
    values[field] = value
    if (problem := order_problem(values, turn.now, turn.config.zone)) is not None:
        return await turn.again(_problem_reply(problem, values))
    turn.data[field] = to_db(value)
    index = DATE_FIELDS.index(field)
    if index + 1 < len(DATE_FIELDS):
        return await turn.goto("rounds.new_date", **{**turn.data, "field": DATE_FIELDS[index + 1]})
    return await turn.goto("rounds.new_note", **turn.data)


@flow.ask("new_note")
async def ask_note(turn: Turn) -> list[Reply]:
    """Ask for an optional note."""
    return [
        Reply(template="rounds/ask_note", choices=(Choice(key="n:skip", label="rounds.skip"),))
    ]


@flow.answer("new_note", accepts=TEXT, digits_are_text=True)
async def take_note(turn: Turn) -> list[Reply]:
    """Take the note, then show everything for confirmation."""
    note = "" if turn.choice == "n:skip" else turn.text[: turn.config.max_text_length]
    return await turn.goto("rounds.new_confirm", **turn.data, note=note)


def _draft(turn: Turn) -> NewRound:
    data = turn.data
    return NewRound(
        name=data["name"],
        province_code=data["province"],
        kinds=tuple(data["kinds"]),
        note=data["note"],
        **{name: from_db(data[name]) for name in DATE_FIELDS},
    )


@flow.ask("new_confirm")
async def ask_confirm(turn: Turn) -> list[Reply]:
    """Show the new round back for confirmation."""
    draft = _draft(turn)
    province = await turn.store.reference.province(draft.province_code)
    choices = (
        Choice(key="c:ok", label="rounds.publish"),
        Choice(key="c:no", label="rounds.discard"),
    )
    context = {"draft": draft.model_dump(), "province": province.name if province else ""}
    return [Reply(template="rounds/confirm", context=context, choices=choices)]


@flow.answer("new_confirm")
async def confirm(turn: Turn) -> list[Reply]:
    """Create the round (dates checked again against the clock), or discard it."""
    if turn.choice != "c:ok":
        return [Reply(template="rounds/discarded"), *await turn.goto("rounds.manage")]
    draft = _draft(turn)
    values = {name: getattr(draft, name) for name in DATE_FIELDS}
    if (problem := order_problem(values, turn.now, turn.config.zone)) is not None:
        field = problem[0]
        return [
            _problem_reply(problem, values),
            *await turn.goto("rounds.new_date", **{**turn.data, "field": field}),
        ]
    if not may_manage(turn.user, draft.province_code):
        return [Reply(template="errors/forbidden"), *await turn.goto("officer.main")]
    round_id = await turn.store.rounds.create(draft, turn.user.address, turn.now)
    await turn.store.audit.record(
        turn.user.address,
        "round_created",
        turn.now,
        subject=f"round:{round_id}",
        details={"name": draft.name, "province": draft.province_code},
    )
    return [
        Reply(template="rounds/created", context={"name": draft.name}),
        *await turn.goto("rounds.detail", round_id=round_id),
    ]


@flow.ask("detail")
async def detail(turn: Turn) -> list[Reply]:
    """Show a round with its entries, and what the officer can do with it."""
    rnd = await _owned(turn, turn.data.get("round_id"))
    if rnd is None:
        return [Reply(template="rounds/not_found"), *await turn.goto("rounds.manage")]
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


@flow.answer("detail")
async def act(turn: Turn) -> list[Reply]:
    """Change a date, cancel the round, or go back."""
    round_id = turn.data["round_id"]
    if turn.choice == "d:edit":
        return await turn.goto("rounds.edit_pick", round_id=round_id)
    if turn.choice == "d:cancel":
        return await turn.goto("rounds.cancel_confirm", round_id=round_id)
    return await turn.goto("rounds.manage")


@flow.ask("edit_pick")
async def edit_pick(turn: Turn) -> list[Reply]:
    """Ask which date to change."""
    choices = (
        *(Choice(key=f"f:{FIELD_KEYS[n]}", label=f"rounds.field_{n}") for n in DATE_FIELDS),
        Choice(key="f:back", label="common.back"),
    )
    return [Reply(template="rounds/ask_which_date", choices=choices)]


@flow.answer("edit_pick")
async def take_pick(turn: Turn) -> list[Reply]:
    """Ask the new value of the picked date."""
    if turn.choice == "f:back":
        return await turn.goto("rounds.detail", round_id=turn.data["round_id"])
    field = DATE_FIELDS[int(turn.choice_arg)]
    return await turn.goto("rounds.edit_date", round_id=turn.data["round_id"], field=field)


@flow.ask("edit_date")
async def ask_new_date(turn: Turn) -> list[Reply]:
    """Ask the new value of one date."""
    return [
        Reply(
            template="rounds/ask_date",
            context={"field": turn.data["field"]},
            choices=(Choice(key="e:back", label="common.back"),),
        )
    ]


@flow.answer("edit_date", accepts=TEXT, digits_are_text=True)
async def take_new_date(turn: Turn) -> list[Reply]:
    """Change the date (still in order), tell the producers entered, and log it."""
    round_id, field = turn.data["round_id"], turn.data["field"]
    if turn.choice == "e:back":
        return await turn.goto("rounds.detail", round_id=round_id)
    rnd = await _owned(turn, round_id)
    if rnd is None:
        return [Reply(template="rounds/not_found"), *await turn.goto("rounds.manage")]
    value = _typed_date(turn, field)
    if isinstance(value, Reply):
        return await turn.again(value)
    values = {name: getattr(rnd, name) for name in DATE_FIELDS}
    values[field] = value
    past_ok = {n: v for n, v in values.items() if n == field or v > turn.now}
    problem = order_problem(past_ok, turn.now, turn.config.zone)
    if problem is not None or not _ordered(values):
        return await turn.again(_problem_reply(problem or (field, "order"), values))
    await turn.store.rounds.set_date(rnd.id, field, value, turn.now)
    await turn.store.audit.record(
        turn.user.address,
        "round_date_changed",
        turn.now,
        subject=f"round:{rnd.id}",
        details={"field": field, "old": to_db(getattr(rnd, field)), "new": to_db(value)},
    )
    changed = await turn.store.rounds.get(rnd.id)
    assert changed is not None
    told = await notify_round_changed(
        turn.store, turn.renderer, changed, "date", turn.now, turn.config.zone
    )
    return [
        Reply(
            template="rounds/date_changed", context={"field": field, "value": value, "told": told}
        ),
        *await turn.goto("rounds.detail", round_id=rnd.id),
    ]


def _ordered(values: dict[str, datetime]) -> bool:
    ordered = [values[name] for name in DATE_FIELDS]
    return all(a < b for a, b in pairwise(ordered))


@flow.ask("cancel_confirm")
async def ask_cancel(turn: Turn) -> list[Reply]:
    """Ask before cancelling a round."""
    rnd = await _owned(turn, turn.data.get("round_id"))
    if rnd is None:
        return [Reply(template="rounds/not_found"), *await turn.goto("rounds.manage")]
    entries = await turn.store.rounds.entries(rnd.id)
    choices = (
        Choice(key="x:yes", label="rounds.cancel_yes"),
        Choice(key="x:no", label="common.back"),
    )
    context = {"name": rnd.name, "entered": len(entries)}
    return [Reply(template="rounds/cancel_confirm", context=context, choices=choices)]


@flow.answer("cancel_confirm")
async def cancel(turn: Turn) -> list[Reply]:
    """Cancel the round and tell every producer with a product entered."""
    rnd = await _owned(turn, turn.data["round_id"])
    if turn.choice != "x:yes" or rnd is None:
        return await turn.goto("rounds.detail", round_id=turn.data["round_id"])
    await turn.store.rounds.cancel(rnd.id, turn.now)
    await turn.store.audit.record(
        turn.user.address,
        "round_cancelled",
        turn.now,
        subject=f"round:{rnd.id}",
        details={"name": rnd.name},
    )
    cancelled = await turn.store.rounds.get(rnd.id)
    assert cancelled is not None
    told = await notify_round_changed(
        turn.store, turn.renderer, cancelled, "cancelled", turn.now, turn.config.zone
    )
    return [
        Reply(template="rounds/cancelled", context={"name": rnd.name, "told": told}),
        *await turn.goto("rounds.manage"),
    ]
