"""Officers list the trainings they manage and publish new ones in chat."""

from __future__ import annotations

from typing import Any

from handlers.account.steps import Officer
from handlers.common import fields
from handlers.common.access import add_new_item_steps, managed_province, may_manage
from handlers.engine.events import Choice, Reply
from handlers.engine.pause import pausable
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.trainings import fields as fields_t
from handlers.trainings.common import owned_training, training_context
from handlers.trainings.publish import publish_training
from handlers.trainings.steps import Trainings
from storage.models import Role
from storage.timefmt import from_db
from storage.training_models import NewTraining

flow = Flow("trainings", role=Role.OFFICER)
begin_new = add_new_item_steps(
    flow, kind="training", province_step=Trainings.NEW_PROVINCE, first_step=Trainings.NEW_TITLE,
    fresh_step=Trainings.FRESH,
)
pausable("trainings.new_", "training")  # a training being prepared is kept on /huy
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
VALUE_STEPS = {  # the step that asks each value of a new training
    "title": Trainings.NEW_TITLE,
    "topic": Trainings.NEW_TOPIC,
    "starts_at": Trainings.NEW_STARTS_AT,
    "ends_at": Trainings.NEW_ENDS_AT,
    "place": Trainings.NEW_PLACE,
    "capacity": Trainings.NEW_CAPACITY,
    "audience": Trainings.NEW_AUDIENCE,
    "audience_value": Trainings.NEW_AUDIENCE_VALUE,
    "registration_deadline": Trainings.NEW_REGISTRATION_DEADLINE,
}


@flow.ask(Trainings.MANAGE)
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


@flow.answer(Trainings.MANAGE)
async def pick(turn: Turn) -> list[Reply]:
    """Open a training, publish a new one, or go back."""
    if turn.choice == "t:back":
        return await turn.goto(Officer.MAIN)
    if turn.choice == "t:new":
        return await begin_new(turn)
    training = await owned_training(turn, turn.choice_arg)
    if training is None:
        return await turn.again(Reply(template="trainings/not_found"))
    return await turn.goto(Trainings.DETAIL, training_id=training.id)


def _value_step(name: str) -> None:
    """Register the steps that ask and take one typed value of a new or edited training."""

    @flow.ask(VALUE_STEPS[name])
    async def ask(turn: Turn) -> list[Reply]:
        return [await fields_t.question(turn, name)]

    @flow.answer(VALUE_STEPS[name], accepts=TEXT, digits_are_text=name in ("capacity", "title"))
    async def answer(turn: Turn) -> list[Reply]:
        try:
            turn.data.update(await fields_t.parse(turn, name))
        except fields.Invalid as invalid:
            return await turn.again(*invalid.replies)
        if name == "audience" and turn.data["audience"] in ("commune", "group"):
            return await turn.goto(Trainings.NEW_AUDIENCE_VALUE, **turn.data)
        after = "audience" if name == "audience_value" else name
        following = NEW_STEPS[NEW_STEPS.index(after) + 1 :]
        step = VALUE_STEPS[following[0]] if following else Trainings.NEW_CONFIRM
        return await turn.goto(step, **turn.data)


for _name in (*NEW_STEPS, "audience_value"):
    _value_step(_name)


@flow.ask(Trainings.NEW_CONFIRM)
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


@flow.answer(Trainings.NEW_CONFIRM)
async def confirm(turn: Turn) -> list[Reply]:
    """Publish the training (times checked again against the clock), or discard it."""
    if turn.choice != "c:ok":
        return [Reply(template="trainings/discarded"), *await turn.goto(Trainings.MANAGE)]
    draft = _draft(turn.data)
    try:
        fields_t.check_times(turn, draft.model_dump())
    except fields.Invalid as invalid:
        return [*invalid.replies, *await turn.goto(Trainings.NEW_STARTS_AT, **turn.data)]
    if not may_manage(turn.user, draft.province_code):
        return [Reply(template="errors/forbidden"), *await turn.goto(Officer.MAIN)]
    training_id, announced = await publish_training(
        turn.store, turn.renderer, turn.user.address, draft, turn.now
    )
    return [
        Reply(template="trainings/published",
              context={"title": draft.title, "announced": announced}),
        *await turn.goto(Trainings.DETAIL, training_id=training_id),
    ]
