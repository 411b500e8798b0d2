"""/taphuan: upcoming trainings meant for a producer; enrolling, the waiting list, my trainings."""

from __future__ import annotations

from handlers.account.steps import Menu
from handlers.common.notify import replies_with_files
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Turn
from handlers.trainings.common import (
    calendar_file,
    meant_for,
    promote_and_tell,
    training_context,
)
from handlers.trainings.steps import Trainings
from storage.training_models import Enrolment, EnrolResult, Training

flow = Flow("trainings", needs_profile=True)
flow.command("taphuan", Trainings.UPCOMING, listed=11, officers=Trainings.MANAGE)
flow.command("trainings", Trainings.UPCOMING, officers=Trainings.MANAGE)


async def _for_me(turn: Turn) -> list[Training]:
    assert turn.user.producer_id is not None
    producer = await turn.store.users.producer(turn.user.producer_id)
    assert producer is not None
    groups = await turn.store.trainings.product_groups_of(producer.id)
    found = await turn.store.trainings.upcoming_near(producer.province_code, turn.now)
    return [t for t in found if meant_for(t, producer, groups)]


async def _shown(turn: Turn, training: Training) -> dict[str, object]:
    mine = await turn.store.trainings.enrolment_of(training.id, turn.user.id)
    context = await training_context(turn.store, training, turn.locale)
    context["mine"] = mine.status if mine else ""
    context["open"] = turn.now < training.registration_deadline
    return context


@flow.ask(Trainings.UPCOMING)
async def upcoming(turn: Turn) -> list[Reply]:
    """List upcoming trainings meant for this producer, with seats left."""
    trainings = await _for_me(turn)
    shown = [await _shown(turn, t) for t in trainings]
    choices = (
        *(
            Choice(
                key=f"t:{t.id}",
                label="trainings.open",
                context={"title": t.title, "date": turn.renderer.format_date(t.starts_at)},
            )
            for t in trainings
        ),
        Choice(key="t:mine", label="trainings.mine"),
        Choice(key="t:menu", label="common.to_menu"),
    )
    return [Reply(template="trainings/upcoming", context={"trainings": shown}, choices=choices)]


@flow.answer(Trainings.UPCOMING)
async def pick(turn: Turn) -> list[Reply]:
    """Open a training, my trainings, or go back."""
    if turn.choice == "t:menu":
        return await turn.goto(Menu.MAIN)
    if turn.choice == "t:mine":
        return await turn.goto(Trainings.MINE)
    return await turn.goto(Trainings.VIEW, training_id=int(turn.choice_arg))


async def _mine_or_meant(turn: Turn, training_id: int) -> Training | None:
    """The training if it is meant for this producer or they already hold a place in it."""
    training = await turn.store.trainings.get(training_id)
    if training is None:
        return None
    if await turn.store.trainings.enrolment_of(training_id, turn.user.id) is not None:
        return training
    return training if training.id in {t.id for t in await _for_me(turn)} else None


@flow.ask(Trainings.VIEW)
async def view(turn: Turn) -> list[Reply]:
    """Show one training and what the producer can do: enrol, wait, or cancel."""
    training = await _mine_or_meant(turn, turn.data["training_id"])
    if training is None:
        return [Reply(template="trainings/not_found"), *await turn.goto(Trainings.UPCOMING)]
    mine = await turn.store.trainings.enrolment_of(training.id, turn.user.id)
    active = training.status == "active" and turn.now < training.starts_at
    choices: list[Choice] = []
    if mine is not None and mine.status != "cancelled":
        choices.append(Choice(key=f"x:{mine.id}", label=f"trainings.cancel_{mine.status}"))
    elif active and turn.now < training.registration_deadline:
        if training.seats_left > 0:
            choices.append(Choice(key="en", label="trainings.enrol"))
        else:
            choices.append(Choice(key="wl", label="trainings.join_waiting"))
    choices.append(Choice(key="v:back", label="common.back"))
    return [
        Reply(
            template="trainings/view",
            context={"training": await _shown(turn, training)},
            choices=tuple(choices),
        )
    ]


@flow.answer(Trainings.VIEW)
async def act(turn: Turn) -> list[Reply]:
    """Enrol, join the waiting list, cancel, or go back."""
    training_id = turn.data["training_id"]
    if turn.choice == "v:back":
        return await turn.goto(Trainings.UPCOMING)
    if turn.choice and turn.choice.startswith("x:"):
        return await _ask_leave(turn)
    if await _mine_or_meant(turn, training_id) is None:
        return [Reply(template="trainings/not_found"), *await turn.goto(Trainings.UPCOMING)]
    result = await turn.store.trainings.enrol(
        training_id, turn.user.id, turn.now, wait=turn.choice == "wl"
    )
    training = await turn.store.trainings.get(training_id)
    assert training is not None
    context: dict[str, object] = {
        "training": await training_context(turn.store, training, turn.locale)
    }
    if result is EnrolResult.ENROLLED:
        where = training.place or training.online_url
        calendar = replies_with_files(turn.user.channel)  # Zalo: no file, no promise of one
        document = calendar_file(training, turn.config.zone, where) if calendar else None
        context["calendar"] = calendar
        return [
            Reply(template="trainings/enrolled", context=context, document=document),
            *await turn.goto(Trainings.VIEW, training_id=training_id),
        ]
    return await turn.again(Reply(template=f"trainings/enrol_{result.value}", context=context))


async def _own_enrolment(turn: Turn, enrolment_id: object) -> Enrolment | Reply:
    """The user's own live enrolment (or waiting place) in a training not started yet, or the
    reply that says why it cannot be cancelled."""
    try:
        enrolment = await turn.store.trainings.enrolment(int(str(enrolment_id)))
    except ValueError:
        enrolment = None
    if enrolment is None or enrolment.user_id != turn.user.id or enrolment.status == "cancelled":
        return Reply(template="trainings/not_yours")
    training = await turn.store.trainings.get(enrolment.training_id)
    if training is None or turn.now >= training.starts_at:
        return Reply(template="trainings/already_started")
    return enrolment


async def _ask_leave(turn: Turn) -> list[Reply]:
    """Check the enrolment is the user's own, then ask before giving the place up."""
    found = await _own_enrolment(turn, turn.choice_arg)
    if isinstance(found, Reply):
        return await turn.again(found)
    return await turn.goto(Trainings.LEAVE, training_id=found.training_id, enrolment_id=found.id)


@flow.ask(Trainings.LEAVE)
async def ask_leave(turn: Turn) -> list[Reply]:
    """Ask before cancelling: a freed seat goes at once to the first person waiting."""
    found = await _own_enrolment(turn, turn.data.get("enrolment_id"))
    training = await turn.store.trainings.get(int(turn.data["training_id"]))
    if isinstance(found, Reply) or training is None:
        return [Reply(template="trainings/not_found"), *await turn.goto(Trainings.UPCOMING)]
    context = {
        "title": training.title,
        "starts_at": training.starts_at,
        "was": found.status,
        "waiting": training.waiting,
        "closed": turn.now >= training.registration_deadline,
    }
    choices = (
        Choice(key="lv:yes", label=f"trainings.cancel_{found.status}"),
        Choice(key="lv:no", label="trainings.keep_place"),
    )
    return [Reply(template="trainings/leave_confirm", context=context, choices=choices)]


@flow.answer(Trainings.LEAVE)
async def leave(turn: Turn) -> list[Reply]:
    """Cancel the user's own enrolment (or waiting place); the first waiting person moves up."""
    training_id = int(turn.data["training_id"])
    if turn.choice != "lv:yes":
        return await turn.goto(Trainings.VIEW, training_id=training_id)
    found = await _own_enrolment(turn, turn.data.get("enrolment_id"))
    if isinstance(found, Reply):
        return [found, *await turn.goto(Trainings.VIEW, training_id=training_id)]
    await turn.store.trainings.withdraw(found.id, turn.now)
    if found.status == "enrolled":
        await promote_and_tell(turn.store, turn.renderer, training_id, turn.now)
    training = await turn.store.trainings.get(training_id)
    assert training is not None
    context = {
        "training": await training_context(turn.store, training, turn.locale),
        "was": found.status,
    }
    return [
        Reply(template="trainings/cancelled_mine", context=context),
        *await turn.goto(Trainings.VIEW, training_id=training_id),
    ]


@flow.ask(Trainings.MINE)
async def mine(turn: Turn) -> list[Reply]:
    """The trainings this user is enrolled in or waiting for."""
    held = await turn.store.trainings.of_user(turn.user.id, turn.now)
    shown = []
    for training, enrolment in held:
        context = await training_context(turn.store, training, turn.locale)
        context["mine"] = enrolment.status
        shown.append(context)
    choices = (
        *(
            Choice(
                key=f"t:{t.id}",
                label="trainings.open",
                context={"title": t.title, "date": turn.renderer.format_date(t.starts_at)},
            )
            for t, _ in held
        ),
        Choice(key="t:back", label="common.back"),
    )
    return [Reply(template="trainings/mine", context={"trainings": shown}, choices=choices)]


@flow.answer(Trainings.MINE)
async def open_mine(turn: Turn) -> list[Reply]:
    """Open one of my trainings, or go back."""
    if turn.choice == "t:back":
        return await turn.goto(Trainings.UPCOMING)
    return await turn.goto(Trainings.VIEW, training_id=int(turn.choice_arg))


async def export(turn: Turn) -> list[tuple[str, list[str]]]:
    """What the bot holds about the user's trainings, for /xoadulieu."""
    held = await turn.store.trainings.held_for(turn.user.id)
    lines = [
        f"{title} ({turn.renderer.label(turn.locale, f'trainings.status_{status}')})"
        for title, status in held
    ]
    return [("trainings.export_section", lines)] if lines else []


async def forget(turn: Turn) -> None:
    """Remove the user's enrolments; a freed seat goes to the first person waiting."""
    for training_id in await turn.store.trainings.forget_user(turn.user.id):
        await promote_and_tell(turn.store, turn.renderer, training_id, turn.now)
