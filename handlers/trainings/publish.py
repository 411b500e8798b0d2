"""Publishing a training and changing one: the rules the chat and the console share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.trainings.announce import announce_training
from handlers.trainings.common import notify_people, promote_and_tell
from messages import Renderer
from storage import Store
from storage.timefmt import to_db
from storage.training_models import NewTraining, Training

TIMES = ("starts_at", "ends_at", "registration_deadline")


async def publish_training(
    store: Store, renderer: Renderer, actor: str, draft: NewTraining, now: datetime
) -> tuple[int, int]:
    """Create a checked training, log it and announce it to the producers it is for.

    Returns the training's id and how many producers will hear of it.
    """
    training_id = await store.trainings.create(draft, actor, now)
    await store.audit.record(
        actor, "training_published", now, subject=f"training:{training_id}",
        details={"title": draft.title},
    )
    training = await store.trainings.get(training_id)
    assert training is not None  # published just now, in this transaction
    return training_id, await announce_training(store, renderer, training, now)


def current_times(training: Training) -> dict[str, datetime]:
    """A training's times, to check a changed one against the others."""
    return {name: getattr(training, name) for name in TIMES}


def capacity_problem(training: Training, changes: dict[str, Any]) -> int | None:
    """How many are enrolled when the new seats would be fewer; None when they fit."""
    capacity = changes.get("capacity")
    return training.enrolled if capacity is not None and capacity < training.enrolled else None


async def change_training(
    store: Store, renderer: Renderer, actor: str, training: Training,
    changes: dict[str, Any], now: datetime,
) -> int:
    """Save checked changes (logged), give added seats to those waiting, tell those enrolled.

    `changes` holds the stored values by column (times as datetimes); returns how many people
    were told of the change.
    """
    for column, value in changes.items():
        await store.trainings.update(training.id, column, value, now)
    await store.audit.record(
        actor, "training_edited", now, subject=f"training:{training.id}",
        details={k: to_db(v) if isinstance(v, datetime) else str(v) for k, v in changes.items()},
    )
    await promote_and_tell(store, renderer, training.id, now)
    changed = await store.trainings.get(training.id)
    assert changed is not None
    named = list(dict.fromkeys("place" if k == "online_url" else k for k in changes))
    return await notify_people(
        store, renderer, changed, "trainings/changed", "edit", now,
        extra={"field": named[0], "fields": named},
    )
