"""/toi: the producer's profile, and editing any field of it."""

from __future__ import annotations

from handlers.account.steps import Menu, Profile
from handlers.common import fields
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn

flow = Flow("profile", needs_profile=True)
flow.command("toi", Profile.SHOW, listed=3)
flow.command("hoso", Profile.SHOW)

FIELD_STEPS = {  # the step that asks each profile field
    "name": Profile.NAME,
    "entity_type": Profile.ENTITY_TYPE,
    "contact_person": Profile.CONTACT_PERSON,
    "phone": Profile.PHONE,
    "province_code": Profile.PROVINCE_CODE,
    "commune": Profile.COMMUNE,
}
EXTRA_ITEMS: list[Choice] = []  # later flows add items here (e.g. linking accounts)


async def _values(turn: Turn) -> dict[str, str]:
    assert turn.user.producer_id is not None
    producer = await turn.store.users.producer(turn.user.producer_id)
    assert producer is not None
    return {name: str(getattr(producer, name)) for name in fields.FIELD_NAMES}


@flow.ask(Profile.SHOW)
async def show(turn: Turn) -> list[Reply]:
    """Show the profile with a choice to edit each field."""
    choices = (
        *(
            Choice(key=f"f:{fields.FIELD_KEYS[name]}", label=f"field.{name}_edit")
            for name in fields.FIELD_NAMES
        ),
        *EXTRA_ITEMS,
        Choice(key="f:back", label="common.to_menu"),
    )
    values = await fields.shown(turn, await _values(turn))
    return [Reply(template="profile/show", context={"profile": values}, choices=choices)]


@flow.answer(Profile.SHOW)
async def pick(turn: Turn) -> list[Reply]:
    """Open the field to edit, or go back to the menu."""
    if turn.choice == "f:back":
        return await turn.goto(Menu.MAIN)
    extra = next((c for c in EXTRA_ITEMS if c.key == turn.choice), None)
    if extra is not None:
        return await turn.goto(extra.context["step"])
    return await turn.goto(FIELD_STEPS[fields.KEY_FIELDS[turn.choice_arg]])


def _field_steps(field: fields.Field) -> None:
    """Register the step that edits one profile field."""

    @flow.ask(FIELD_STEPS[field.name])
    async def ask(turn: Turn) -> list[Reply]:
        current = (await _values(turn))[field.name]
        question = await fields.question(turn, field.name, current)
        keep = Choice(key="f:keep", label="profile.keep")
        return [question.model_copy(update={"choices": (*question.choices, keep)})]

    @flow.answer(
        FIELD_STEPS[field.name], accepts=TEXT, digits_are_text=field.digits_are_text
    )
    async def answer(turn: Turn) -> list[Reply]:
        # Typed numbers are answers here (a phone), but "1" is never a phone number: it is
        # the numbered "keep" that Zalo and the terminal show under the question.
        if turn.choice == "f:keep" or (field.digits_are_text and turn.text == "1"):
            return await turn.goto(Profile.SHOW)
        try:
            value = await fields.parse(turn, field.name)
        except fields.Invalid as invalid:
            return await fields.refusal(turn, invalid)
        assert turn.user.producer_id is not None
        await turn.store.users.update_producer_field(
            turn.user.producer_id, field.name, value, turn.now
        )
        if field.name in ("commune", "province_code"):
            await turn.store.places.replace(turn.user.producer_id)
        if field.name == "commune":  # the official name is saved; the text kept beside it
            await turn.store.places.keep_typed(turn.user.producer_id, fields.as_written(turn))
        said = await fields.notes(turn, field.name, value)
        return [*said, Reply(template="profile/saved"), *await turn.goto(Profile.SHOW)]


for _field in fields.FIELDS:
    _field_steps(_field)
