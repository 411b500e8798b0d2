"""Officers publish trainings, edit or cancel them, and get the attendance list as a file."""

from __future__ import annotations

from typing import Any

from handlers import fields
from handlers import trainings_fields as fields_t
from handlers.events import Choice, Reply
from handlers.registry import TEXT, Flow
from handlers.rounds_common import managed_province, may_manage
from handlers.trainings_common import (
    attendance_file,
    notify_people,
    promote_and_tell,
    training_context,
)
from handlers.turn import Turn
from storage.models import Role
from storage.timefmt import from_db, to_db
from storage.trainings import NewTraining, Training

flow = Flow("trainings", role=Role.OFFICER)
NEW_STEPS = (
    "title",
    "topic",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "audience",
    "registration_deadline",
)
EDIT_FIELDS = ("title", "starts_at", "ends_at", "place", "capacity", "registration_deadline")


async def _owned(turn: Turn, training_id: object) -> Training | None:
    """The training if it is still active and this officer may manage it (one cancelled
    meanwhile, e.g. by another officer, can be neither edited nor cancelled again)."""
    try:
        training = await turn.store.trainings.get(int(str(training_id)))
    except ValueError:
        return None
    if training is None or training.status != "active":
        return None
    return training if may_manage(turn.user, training.province_code) else None


@flow.ask("manage")
async def manage(turn: Turn) -> list[Reply]:
    """List this officer's upcoming trainings, and offer a new one."""
    trainings = await turn.store.trainings.managed(managed_province(turn.user), turn.now)
    shown = [await training_context(turn.store, t, turn.locale) for t in trainings]
    choices = (
        *(
            Choice(
                key=f"t:{t.id}",
                label="trainings.open",
                context={"title": t.title, "date": turn.renderer.format_date(t.starts_at)},
            )
            for t in trainings
        ),
        Choice(key="t:new", label="trainings.new"),
        Choice(key="t:back", label="common.back"),
    )
    return [
        Reply(template="trainings/officer_list", context={"trainings": shown}, choices=choices)
    ]


@flow.answer("manage")
async def pick(turn: Turn) -> list[Reply]:
    """Open a training, publish a new one, or go back."""
    if turn.choice == "t:back":
        return await turn.goto("officer.main")
    if turn.choice == "t:new":
        if turn.user.role is Role.OFFICER and turn.user.officer_province:
            return await turn.goto("trainings.new_title", province=turn.user.officer_province)
        return await turn.goto("trainings.new_province")
    training = await _owned(turn, turn.choice_arg)
    if training is None:
        return await turn.again(Reply(template="trainings/not_found"))
    return await turn.goto("trainings.detail", training_id=training.id)


@flow.ask("new_province")
async def ask_province(turn: Turn) -> list[Reply]:
    """An admin says which province organises the training."""
    return [await fields.question(turn, "province_code")]


@flow.answer("new_province", accepts=TEXT)
async def take_province(turn: Turn) -> list[Reply]:
    """Take the province, then ask the title."""
    try:
        code = await fields.parse(turn, "province_code")
    except fields.Invalid as invalid:
        return await fields.refusal(turn, invalid)
    return await turn.goto("trainings.new_title", province=code)


def _value_step(name: str) -> None:
    """Register the steps that ask and take one typed value of a new or edited training."""

    @flow.ask(f"new_{name}")
    async def ask(turn: Turn) -> list[Reply]:
        return [await fields_t.question(turn, name)]

    @flow.answer(f"new_{name}", accepts=TEXT, digits_are_text=name in ("capacity", "title"))
    async def answer(turn: Turn) -> list[Reply]:
        try:
            turn.data.update(await fields_t.parse(turn, name))
        except fields.Invalid as invalid:
            return await turn.again(*invalid.replies)
        if name == "audience" and turn.data["audience"] in ("commune", "group"):
            return await turn.goto("trainings.new_audience_value", **turn.data)
        after = "audience" if name == "audience_value" else name
        following = NEW_STEPS[NEW_STEPS.index(after) + 1 :]
        return await turn.goto(
            f"trainings.new_{following[0]}" if following else "trainings.new_confirm", **turn.data
        )


for _name in (*NEW_STEPS, "audience_value"):
    _value_step(_name)


@flow.ask("new_confirm")
async def ask_confirm(turn: Turn) -> list[Reply]:
    """Show the new training back for confirmation."""
    draft = _draft(turn.data)
    topic = await turn.store.trainings.topic(draft.topic_code)
    shown = draft.model_dump()
    if draft.audience == "group" and (
        group := await turn.store.catalog.group(draft.audience_value)
    ):
        shown["audience_value"] = group.name(turn.locale)
    context = {"draft": shown, "topic": topic.name(turn.locale) if topic else ""}
    choices = (
        Choice(key="c:ok", label="trainings.publish"),
        Choice(key="c:no", label="trainings.discard"),
    )
    return [Reply(template="trainings/confirm", context=context, choices=choices)]


def _draft(data: dict[str, Any]) -> NewTraining:
    return NewTraining(
        title=data["title"],
        topic_code=data["topic"],
        province_code=data["province"],
        starts_at=from_db(data["starts_at"]),
        ends_at=from_db(data["ends_at"]),
        place=data["place"],
        online_url=data["online_url"],
        capacity=data["capacity"],
        audience=data["audience"],
        audience_value=data["audience_value"],
        registration_deadline=from_db(data["registration_deadline"]),
    )


@flow.answer("new_confirm")
async def confirm(turn: Turn) -> list[Reply]:
    """Publish the training (times checked again against the clock), or discard it."""
    if turn.choice != "c:ok":
        return [Reply(template="trainings/discarded"), *await turn.goto("trainings.manage")]
    draft = _draft(turn.data)
    try:
        fields_t.check_times(turn, draft.model_dump())
    except fields.Invalid as invalid:
        return [*invalid.replies, *await turn.goto("trainings.new_starts_at", **turn.data)]
    if not may_manage(turn.user, draft.province_code):
        return [Reply(template="errors/forbidden"), *await turn.goto("officer.main")]
    training_id = await turn.store.trainings.create(draft, turn.user.address, turn.now)
    await turn.store.audit.record(
        turn.user.address,
        "training_published",
        turn.now,
        subject=f"training:{training_id}",
        details={"title": draft.title},
    )
    return [
        Reply(template="trainings/published", context={"title": draft.title}),
        *await turn.goto("trainings.detail", training_id=training_id),
    ]


@flow.ask("detail")
async def detail(turn: Turn) -> list[Reply]:
    """Show a training with its counts, and what the officer can do."""
    training = await _owned(turn, turn.data.get("training_id"))
    if training is None:
        return [Reply(template="trainings/not_found"), *await turn.goto("trainings.manage")]
    choices = (
        Choice(key="d:list", label="trainings.attendance"),
        Choice(key="d:edit", label="trainings.edit"),
        Choice(key="d:cancel", label="trainings.cancel"),
        Choice(key="d:back", label="common.back"),
    )
    context = {"training": await training_context(turn.store, training, turn.locale)}
    return [Reply(template="trainings/officer_detail", context=context, choices=choices)]


@flow.answer("detail")
async def act(turn: Turn) -> list[Reply]:
    """Send the attendance list, edit, cancel, or go back."""
    training = await _owned(turn, turn.data["training_id"])
    if training is None or turn.choice == "d:back":
        return await turn.goto("trainings.manage")
    if turn.choice == "d:edit":
        return await turn.goto("trainings.edit_pick", training_id=training.id)
    if turn.choice == "d:cancel":
        return await turn.goto("trainings.cancel_confirm", training_id=training.id)
    people = await turn.store.trainings.attendees(training.id)
    document = attendance_file(turn.renderer, turn.locale, training, people)
    await turn.store.audit.record(
        turn.user.address,
        "training_attendance_exported",
        turn.now,
        subject=f"training:{training.id}",
    )
    return await turn.again(
        Reply(
            template="trainings/attendance_file",
            context={"title": training.title, "count": len(people)},
            document=document,
        )
    )


@flow.ask("edit_pick")
async def edit_pick(turn: Turn) -> list[Reply]:
    """Ask which field to change."""
    choices = (
        *(Choice(key=f"f:{i}", label=f"trainings.field_{n}") for i, n in enumerate(EDIT_FIELDS)),
        Choice(key="f:back", label="common.back"),
    )
    return [Reply(template="trainings/ask_which_field", choices=choices)]


@flow.answer("edit_pick")
async def take_pick(turn: Turn) -> list[Reply]:
    """Ask the new value of the picked field."""
    if turn.choice == "f:back":
        return await turn.goto("trainings.detail", training_id=turn.data["training_id"])
    name = EDIT_FIELDS[int(turn.choice_arg)]
    return await turn.goto(
        "trainings.edit_value", training_id=turn.data["training_id"], field=name
    )


@flow.ask("edit_value")
async def ask_value(turn: Turn) -> list[Reply]:
    """Ask the new value of one field."""
    return [await fields_t.question(turn, turn.data["field"])]


@flow.answer("edit_value", accepts=TEXT, digits_are_text=True)
async def take_value(turn: Turn) -> list[Reply]:
    """Save the change, promote waiting people if seats were added, and tell those enrolled."""
    training = await _owned(turn, turn.data["training_id"])
    if training is None:
        return [Reply(template="trainings/not_found"), *await turn.goto("trainings.manage")]
    name = turn.data["field"]
    current = {
        "starts_at": to_db(training.starts_at),
        "ends_at": to_db(training.ends_at),
        "registration_deadline": to_db(training.registration_deadline),
    }
    scratch = dict(turn.data)
    turn.data = {**current, **{k: v for k, v in scratch.items() if k not in current}}
    try:
        values = await fields_t.parse(turn, name)
    except fields.Invalid as invalid:
        turn.data = scratch
        return await turn.again(*invalid.replies)
    turn.data = scratch
    if name == "capacity" and values["capacity"] < training.enrolled:
        return await turn.again(
            Reply(
                template="trainings/capacity_below_enrolled",
                context={"enrolled": training.enrolled},
            )
        )
    for field, value in values.items():
        stored = from_db(value) if field in current else value
        await turn.store.trainings.update(training.id, field, stored, turn.now)
    await turn.store.audit.record(
        turn.user.address,
        "training_edited",
        turn.now,
        subject=f"training:{training.id}",
        details={k: str(v) for k, v in values.items()},
    )
    await promote_and_tell(turn.store, turn.renderer, training.id, turn.now)
    changed = await turn.store.trainings.get(training.id)
    assert changed is not None
    told = await notify_people(
        turn.store,
        turn.renderer,
        changed,
        "trainings/changed",
        "edit",
        turn.now,
        extra={"field": name},
    )
    return [
        Reply(template="trainings/saved", context={"told": told}),
        *await turn.goto("trainings.detail", training_id=training.id),
    ]


@flow.ask("cancel_confirm")
async def ask_cancel(turn: Turn) -> list[Reply]:
    """Ask before cancelling a training."""
    training = await _owned(turn, turn.data.get("training_id"))
    if training is None:
        return [Reply(template="trainings/not_found"), *await turn.goto("trainings.manage")]
    choices = (
        Choice(key="x:yes", label="trainings.cancel_yes"),
        Choice(key="x:no", label="common.back"),
    )
    context = {"title": training.title, "enrolled": training.enrolled, "waiting": training.waiting}
    return [Reply(template="trainings/cancel_confirm", context=context, choices=choices)]


@flow.answer("cancel_confirm")
async def cancel(turn: Turn) -> list[Reply]:
    """Cancel the training and tell everyone enrolled or waiting."""
    training = await _owned(turn, turn.data["training_id"])
    if turn.choice != "x:yes" or training is None:
        return await turn.goto("trainings.detail", training_id=turn.data["training_id"])
    await turn.store.trainings.cancel(training.id, turn.now)
    await turn.store.audit.record(
        turn.user.address,
        "training_cancelled",
        turn.now,
        subject=f"training:{training.id}",
        details={"title": training.title},
    )
    cancelled = await turn.store.trainings.get(training.id)
    assert cancelled is not None
    told = await notify_people(
        turn.store, turn.renderer, cancelled, "trainings/cancelled", "cancelled", turn.now
    )
    return [
        Reply(
            template="trainings/cancelled_done", context={"title": training.title, "told": told}
        ),
        *await turn.goto("trainings.manage"),
    ]
