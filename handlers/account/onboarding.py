"""/start: language, consent, then the producer profile field by field, a summary, the menu."""

from __future__ import annotations

from handlers.account.steps import Menu, Onboarding
from handlers.claims.steps import START_PAYLOAD_DRAFT, Claims
from handlers.common import fields
from handlers.engine.events import Choice, Reply
from handlers.engine.pause import saved_as_given
from handlers.engine.turn import TEXT, Flow, Turn

flow = Flow("onboarding")
saved_as_given("onboarding.")  # each answer is kept in a draft: "làm tiếp" continues
flow.command("start", Onboarding.START, listed=1)
flow.command("batdau", Onboarding.START)

DRAFT = "onboarding"
FIELD_STEPS = {  # the step that asks each profile field
    "name": Onboarding.NAME,
    "entity_type": Onboarding.ENTITY_TYPE,
    "contact_person": Onboarding.CONTACT_PERSON,
    "phone": Onboarding.PHONE,
    "province_code": Onboarding.PROVINCE_CODE,
    "commune": Onboarding.COMMUNE,
}
LANGUAGES = (Choice(key="l:vi", label="language.vi"), Choice(key="l:en", label="language.en"))


async def _draft(turn: Turn) -> dict[str, str]:
    return await turn.store.conversations.draft(turn.user.id, DRAFT) or {}


async def _next(turn: Turn, draft: dict[str, str]) -> list[Reply]:
    """Ask the first field not answered yet, or show the summary when all are."""
    missing = [name for name in fields.FIELD_NAMES if not draft.get(name)]
    if missing:
        return await turn.goto(FIELD_STEPS[missing[0]])
    return await turn.goto(Onboarding.SUMMARY)


def start_payload(text: str) -> str:
    """What a Telegram deep link (t.me/<bot>?start=…) sends after /start; "" when nothing."""
    parts = text.split(maxsplit=1) if text.startswith("/") else []
    return parts[1].strip()[:64] if len(parts) == 2 else ""


@flow.ask(Onboarding.START)
async def start(turn: Turn) -> list[Reply]:
    """Greet the user; a registered one goes to the menu, a returning one continues. An
    invitation's deep link is followed at once, or kept until the profile is made."""
    payload = start_payload(turn.text)
    if payload and Claims.LINK in turn.registry.steps:
        if turn.user.producer_id is not None:
            return await turn.goto(Claims.LINK, payload=payload)
        await turn.store.conversations.save_draft(
            turn.user.id, START_PAYLOAD_DRAFT, {"payload": payload}, turn.now)
    if turn.user.producer_id is not None:
        return [Reply(template="onboarding/already_registered"), *await turn.goto(Menu.MAIN)]
    if turn.user.consent_at is not None:
        draft = await _draft(turn)
        return [
            Reply(template="onboarding/welcome_back", context={"resumed": bool(draft)}),
            *await _next(turn, draft),
        ]
    return [Reply(template="onboarding/greeting", choices=LANGUAGES)]


@flow.answer(Onboarding.START)
async def take_language(turn: Turn) -> list[Reply]:
    """Set the language, then ask for consent."""
    await turn.store.users.set_locale(turn.user.id, turn.choice_arg)
    await turn.refresh_user()
    return await turn.goto(Onboarding.CONSENT)


@flow.ask(Onboarding.CONSENT)
async def ask_consent(turn: Turn) -> list[Reply]:
    """Say what is kept and why, and ask for agreement."""
    choices = (Choice(key="c:yes", label="consent.yes"), Choice(key="c:no", label="consent.no"))
    return [Reply(template="onboarding/consent", choices=choices)]


@flow.answer(Onboarding.CONSENT)
async def take_consent(turn: Turn) -> list[Reply]:
    """Go on with consent; without it, store nothing and say how to come back."""
    if turn.choice == "c:no":
        return [Reply(template="onboarding/no_consent"), *await turn.goto(Menu.MAIN)]
    await turn.store.users.give_consent(turn.user.id, turn.now)
    await turn.refresh_user()
    return await _next(turn, await _draft(turn))


def _field_steps(field: fields.Field) -> None:
    """Register the step that asks one profile field during onboarding."""

    @flow.ask(FIELD_STEPS[field.name])
    async def ask(turn: Turn) -> list[Reply]:
        draft = await _draft(turn)
        position = fields.FIELD_NAMES.index(field.name) + 1
        return [
            Reply(
                template="onboarding/progress",
                context={"position": position, "total": len(fields.FIELD_NAMES)},
            ),
            await fields.question(turn, field.name, draft.get(field.name)),
        ]

    @flow.answer(
        FIELD_STEPS[field.name], accepts=TEXT, digits_are_text=field.digits_are_text
    )
    async def answer(turn: Turn) -> list[Reply]:
        try:
            value = await fields.parse(turn, field.name)
        except fields.Invalid as invalid:
            return await fields.refusal(turn, invalid)
        draft = await _draft(turn)
        draft[field.name] = value
        if field.name == "province_code":  # "tra vinh": kept as the former province
            draft["former_province"] = await fields.former_typed(turn, field.name, value) or ""
        if field.name == "commune":  # "cau ke" became "Xã Cầu Kè": the text is kept beside
            draft["commune_typed"] = fields.as_written(turn)
        await turn.store.conversations.save_draft(turn.user.id, DRAFT, draft, turn.now)
        said = await fields.notes(turn, field.name, value)
        if turn.data.get("editing"):
            return [*said, *await turn.goto(Onboarding.SUMMARY)]
        return [*said, *await _next(turn, draft)]


for _field in fields.FIELDS:
    _field_steps(_field)


@flow.ask(Onboarding.SUMMARY)
async def summary(turn: Turn) -> list[Reply]:
    """Show every answer, to confirm or correct."""
    draft = await _draft(turn)
    choices = (
        Choice(key="s:ok", label="onboarding.confirm"),
        *(
            Choice(key=f"s:{fields.FIELD_KEYS[name]}", label=f"field.{name}_edit")
            for name in fields.FIELD_NAMES
        ),
    )
    return [
        Reply(
            template="onboarding/summary",
            context={"profile": await fields.shown(turn, draft)},
            choices=choices,
        )
    ]


@flow.answer(Onboarding.SUMMARY)
async def confirm(turn: Turn) -> list[Reply]:
    """Create the profile, or go back to the field to correct."""
    if turn.choice != "s:ok":
        field = fields.KEY_FIELDS[turn.choice_arg]
        return await turn.goto(FIELD_STEPS[field], editing=True)
    draft = await _draft(turn)
    if any(not draft.get(name) for name in fields.FIELD_NAMES):
        return await _next(turn, draft)
    producer_id = await turn.store.users.create_producer(draft, turn.now)
    await turn.store.places.place_producers(producer_id)  # its commune's code, if known
    if draft.get("commune_typed"):
        await turn.store.places.keep_typed(producer_id, draft["commune_typed"])
    if draft.get("former_province"):
        await turn.store.figures.set_origin(producer_id, draft["former_province"])
    await turn.store.users.attach_producer(turn.user.id, producer_id)
    await turn.store.conversations.drop_draft(turn.user.id, DRAFT)
    await turn.refresh_user()
    # Products certified before the bot may be waiting for this producer to claim them.
    after = Claims.OFFER if Claims.OFFER in turn.registry.steps else Menu.MAIN
    return [
        Reply(template="onboarding/done", context={"name": draft["name"]}),
        *await turn.goto(after),
    ]
