"""Officers open a training they manage: the attendance list as a file, edits and
cancellation, with those enrolled (and waiting) told."""

from __future__ import annotations

from datetime import datetime

from handlers.common import fields
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.trainings import fields as fields_t
from handlers.trainings.common import (
    attendance_file,
    notify_people,
    owned_training,
    training_context,
)
from handlers.trainings.publish import capacity_problem, change_training
from handlers.trainings.steps import Trainings
from messages import Renderer
from storage import Store
from storage.models import Role
from storage.timefmt import from_db, to_db
from storage.trainings import Training

flow = Flow("trainings", role=Role.OFFICER)
EDIT_FIELDS = ("title", "starts_at", "ends_at", "place", "capacity", "registration_deadline")


@flow.ask(Trainings.DETAIL)
async def detail(turn: Turn) -> list[Reply]:
    """Show a training with its counts, and what the officer can do."""
    training = await owned_training(turn, turn.data.get("training_id"))
    if training is None:
        return [Reply(template="trainings/not_found"), *await turn.goto(Trainings.MANAGE)]
    choices = (
        Choice(key="d:list", label="trainings.attendance"),
        Choice(key="d:edit", label="trainings.edit"),
        Choice(key="d:cancel", label="trainings.cancel"),
        Choice(key="d:back", label="common.back"),
    )
    context = {"training": await training_context(turn.store, training, turn.locale)}
    return [Reply(template="trainings/officer_detail", context=context, choices=choices)]


@flow.answer(Trainings.DETAIL)
async def act(turn: Turn) -> list[Reply]:
    """Send the attendance list, edit, cancel, or go back."""
    training = await owned_training(turn, turn.data["training_id"])
    if training is None or turn.choice == "d:back":
        return await turn.goto(Trainings.MANAGE)
    if turn.choice == "d:edit":
        return await turn.goto(Trainings.EDIT_PICK, training_id=training.id)
    if turn.choice == "d:cancel":
        return await turn.goto(Trainings.CANCEL_CONFIRM, training_id=training.id)
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


@flow.ask(Trainings.EDIT_PICK)
async def edit_pick(turn: Turn) -> list[Reply]:
    """Ask which field to change."""
    choices = (
        *(Choice(key=f"f:{i}", label=f"trainings.field_{n}") for i, n in enumerate(EDIT_FIELDS)),
        Choice(key="f:back", label="common.back"),
    )
    return [Reply(template="trainings/ask_which_field", choices=choices)]


@flow.answer(Trainings.EDIT_PICK)
async def take_pick(turn: Turn) -> list[Reply]:
    """Ask the new value of the picked field."""
    if turn.choice == "f:back":
        return await turn.goto(Trainings.DETAIL, training_id=turn.data["training_id"])
    name = EDIT_FIELDS[int(turn.choice_arg)]
    return await turn.goto(
        Trainings.EDIT_VALUE, training_id=turn.data["training_id"], field=name
    )


@flow.ask(Trainings.EDIT_VALUE)
async def ask_value(turn: Turn) -> list[Reply]:
    """Ask the new value of one field."""
    return [await fields_t.question(turn, turn.data["field"])]


@flow.answer(Trainings.EDIT_VALUE, accepts=TEXT, digits_are_text=True)
async def take_value(turn: Turn) -> list[Reply]:
    """Save the change, promote waiting people if seats were added, and tell those enrolled."""
    training = await owned_training(turn, turn.data["training_id"])
    if training is None:
        return [Reply(template="trainings/not_found"), *await turn.goto(Trainings.MANAGE)]
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
    changes = {k: from_db(v) if k in current else v for k, v in values.items()}
    enrolled = capacity_problem(training, changes)
    if enrolled is not None:
        return await turn.again(
            Reply(template="trainings/capacity_below_enrolled", context={"enrolled": enrolled})
        )
    told = await change_training(
        turn.store, turn.renderer, turn.user.address, training, changes, turn.now
    )
    return [
        Reply(template="trainings/saved", context={"told": told}),
        *await turn.goto(Trainings.DETAIL, training_id=training.id),
    ]


@flow.ask(Trainings.CANCEL_CONFIRM)
async def ask_cancel(turn: Turn) -> list[Reply]:
    """Ask before cancelling a training."""
    training = await owned_training(turn, turn.data.get("training_id"))
    if training is None:
        return [Reply(template="trainings/not_found"), *await turn.goto(Trainings.MANAGE)]
    choices = (
        Choice(key="x:yes", label="trainings.cancel_yes"),
        Choice(key="x:no", label="common.back"),
    )
    context = {"title": training.title, "enrolled": training.enrolled, "waiting": training.waiting}
    return [Reply(template="trainings/cancel_confirm", context=context, choices=choices)]


@flow.answer(Trainings.CANCEL_CONFIRM)
async def cancel(turn: Turn) -> list[Reply]:
    """Cancel the training and tell everyone enrolled or waiting."""
    training = await owned_training(turn, turn.data["training_id"])
    if turn.choice != "x:yes" or training is None:
        return await turn.goto(Trainings.DETAIL, training_id=turn.data["training_id"])
    told = await cancel_training(
        turn.store, turn.renderer, turn.user.address, training, turn.now
    )
    return [
        Reply(
            template="trainings/cancelled_done", context={"title": training.title, "told": told}
        ),
        *await turn.goto(Trainings.MANAGE),
    ]


async def cancel_training(
    store: Store, renderer: Renderer, actor: str, training: Training, now: datetime
) -> int:
    """Cancel a training (audited) and tell everyone enrolled or waiting; how many."""
    await store.trainings.cancel(training.id, now)
    await store.audit.record(
        actor, "training_cancelled", now, subject=f"training:{training.id}",
        details={"title": training.title},
    )
    cancelled = await store.trainings.get(training.id)
    assert cancelled is not None
    return await notify_people(store, renderer, cancelled, "trainings/cancelled", "cancelled", now)
