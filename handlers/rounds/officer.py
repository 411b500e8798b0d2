"""Officers list the rounds they manage and create new ones in chat."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.account.steps import Officer
from handlers.common import fields
from handlers.common.access import add_new_item_steps, managed_province, may_manage
from handlers.common.calendar import next_province_round, round_for_deadline
from handlers.common.rules import decision_in_force
from handlers.engine.events import Choice, Reply
from handlers.engine.pause import pausable
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.rounds.announce import announce_round
from handlers.rounds.common import (
    KIND_CHOICES,
    date_refused,
    order_problem,
    owned_round,
    round_context,
    typed_date,
)
from handlers.rounds.steps import Rounds
from messages import Renderer
from storage import Store
from storage.models import Role
from storage.round_models import DATE_FIELDS, NewRound
from storage.timefmt import from_db, to_db

flow = Flow("rounds", role=Role.OFFICER)
begin_new = add_new_item_steps(
    flow, kind="round", province_step=Rounds.NEW_PROVINCE, first_step=Rounds.NEW_NAME,
    fresh_step=Rounds.FRESH,
)
pausable("rounds.new_", "round")  # a round being created is kept on /huy
BACK = Choice(key="r:back", label="common.back")


@flow.ask(Rounds.MANAGE)
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


@flow.answer(Rounds.MANAGE)
async def pick_round(turn: Turn) -> list[Reply]:
    """Open a round, start a new one, or go back."""
    if turn.choice == "r:back":
        return await turn.goto(Officer.MAIN)
    if turn.choice == "r:new":
        return await begin_new(turn)
    rnd = await owned_round(turn, turn.choice_arg)
    if rnd is None:
        return await turn.again(Reply(template="rounds/not_found"))
    return await turn.goto(Rounds.DETAIL, round_id=rnd.id)


@flow.ask(Rounds.NEW_NAME)
async def ask_name(turn: Turn) -> list[Reply]:
    """Ask the round's name."""
    return [Reply(template="rounds/ask_name", choices=(BACK,))]


@flow.answer(Rounds.NEW_NAME, accepts=TEXT, digits_are_text=True)
async def take_name(turn: Turn) -> list[Reply]:
    """Take the name (unique in the province), then ask which applications it takes."""
    if turn.choice == "r:back":
        return await turn.goto(Rounds.MANAGE)
    try:
        name = fields.clean_name(turn.text, turn.config.max_name_length)
    except fields.Invalid as invalid:
        return await turn.again(*invalid.replies)
    if await turn.store.rounds.exists(turn.data["province"], name):
        return await turn.again(Reply(template="rounds/name_taken", context={"name": name}))
    return await turn.goto(Rounds.NEW_KINDS, province=turn.data["province"], name=name)


@flow.ask(Rounds.NEW_KINDS)
async def ask_kinds(turn: Turn) -> list[Reply]:
    """Ask which kinds of application the round takes."""
    choices = tuple(Choice(key=f"k:{key}", label=f"rounds.kinds_{key}") for key in KIND_CHOICES)
    return [Reply(template="rounds/ask_kinds", choices=choices)]


@flow.answer(Rounds.NEW_KINDS)
async def take_kinds(turn: Turn) -> list[Reply]:
    """Take the kinds, then ask the first date."""
    turn.data["kinds"] = list(KIND_CHOICES[turn.choice_arg])
    return await turn.goto(Rounds.NEW_DATE, **turn.data, field=DATE_FIELDS[0])


@flow.ask(Rounds.NEW_DATE)
async def ask_date(turn: Turn) -> list[Reply]:
    """Ask one of the round's dates."""
    today = turn.now.astimezone(turn.config.zone).date()
    suggested = await next_province_round(turn.store, today)
    context = {"field": turn.data["field"], "decision": await decision_in_force(turn.store),
               "suggested": {"name": suggested.name, "year": suggested.year,
                             "send_by": suggested.send_by, "ends_by": suggested.ends_by,
                             "article": suggested.article}}
    return [Reply(template="rounds/ask_date", context=context)]


@flow.answer(Rounds.NEW_DATE, accepts=TEXT, digits_are_text=True)
async def take_date(turn: Turn) -> list[Reply]:
    """Take one date (in the future, after the previous one), then the next or the note."""
    field = turn.data["field"]
    value = typed_date(turn, field)
    if isinstance(value, Reply):
        return await turn.again(value)
    values = {n: from_db(turn.data[n]) for n in DATE_FIELDS if n in turn.data}
    values[field] = value
    if (problem := order_problem(values, turn.now, turn.config.zone)) is not None:
        return await turn.again(date_refused(problem, values))
    turn.data[field] = to_db(value)
    index = DATE_FIELDS.index(field)
    if index + 1 < len(DATE_FIELDS):
        return await turn.goto(Rounds.NEW_DATE, **{**turn.data, "field": DATE_FIELDS[index + 1]})
    return await turn.goto(Rounds.NEW_NOTE, **turn.data)


@flow.ask(Rounds.NEW_NOTE)
async def ask_note(turn: Turn) -> list[Reply]:
    """Ask for an optional note."""
    return [
        Reply(template="rounds/ask_note", choices=(Choice(key="n:skip", label="rounds.skip"),))
    ]


@flow.answer(Rounds.NEW_NOTE, accepts=TEXT, digits_are_text=True)
async def take_note(turn: Turn) -> list[Reply]:
    """Take the note, then show everything for confirmation."""
    note = "" if turn.choice == "n:skip" else turn.text[: turn.config.max_text_length]
    return await turn.goto(Rounds.NEW_CONFIRM, **turn.data, note=note)


def _draft(turn: Turn) -> NewRound:
    data = turn.data
    return NewRound(
        name=data["name"],
        province_code=data["province"],
        kinds=tuple(data["kinds"]),
        note=data["note"],
        **{name: from_db(data[name]) for name in DATE_FIELDS},
    )


@flow.ask(Rounds.NEW_CONFIRM)
async def ask_confirm(turn: Turn) -> list[Reply]:
    """Show the new round back for confirmation."""
    draft = _draft(turn)
    province = await turn.store.reference.province(draft.province_code)
    choices = (
        Choice(key="c:ok", label="rounds.publish"),
        Choice(key="c:no", label="rounds.discard"),
    )
    context = {"draft": draft.model_dump(), "province": province.name if province else "",
               "late": await _later_than_allowed(turn, draft)}
    return [Reply(template="rounds/confirm", context=context, choices=choices)]


async def _later_than_allowed(turn: Turn, draft: NewRound) -> dict[str, object] | None:
    """The calendar's limit when the expected results come later than it allows."""
    zone = turn.config.zone
    period = await round_for_deadline(turn.store, draft.dossier_deadline.astimezone(zone).date())
    results = draft.results_at.astimezone(zone).date()
    if results <= period.ends_by:
        return None
    return {"name": period.name, "year": period.year, "send_by": period.send_by,
            "ends_by": period.ends_by, "results": results, "article": period.article,
            "decision": await decision_in_force(turn.store)}


@flow.answer(Rounds.NEW_CONFIRM)
async def confirm(turn: Turn) -> list[Reply]:
    """Create the round (dates checked again against the clock), or discard it."""
    if turn.choice != "c:ok":
        return [Reply(template="rounds/discarded"), *await turn.goto(Rounds.MANAGE)]
    draft = _draft(turn)
    values = {name: getattr(draft, name) for name in DATE_FIELDS}
    if (problem := order_problem(values, turn.now, turn.config.zone)) is not None:
        field = problem[0]
        return [
            date_refused(problem, values),
            *await turn.goto(Rounds.NEW_DATE, **{**turn.data, "field": field}),
        ]
    if not may_manage(turn.user, draft.province_code):
        return [Reply(template="errors/forbidden"), *await turn.goto(Officer.MAIN)]
    round_id, announced = await publish_round(
        turn.store, turn.renderer, turn.user.address, draft, turn.now, turn.config.zone
    )
    return [
        Reply(template="rounds/created", context={"name": draft.name, "announced": announced}),
        *await turn.goto(Rounds.DETAIL, round_id=round_id),
    ]


async def publish_round(
    store: Store, renderer: Renderer, actor: str, draft: NewRound, now: datetime, zone: ZoneInfo
) -> tuple[int, int]:
    """Create a checked round, log it and announce it to the producers it concerns.

    Returns the round's id and how many producers will hear of it.
    """
    round_id = await store.rounds.create(draft, actor, now)
    await store.audit.record(
        actor, "round_created", now, subject=f"round:{round_id}",
        details={"name": draft.name, "province": draft.province_code},
    )
    rnd = await store.rounds.get(round_id)
    assert rnd is not None  # created just now, in this transaction
    return round_id, await announce_round(store, renderer, rnd, now, zone)
