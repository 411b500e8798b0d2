"""A new training is announced once to the producers it is for (province, commune, group)."""

from __future__ import annotations

from datetime import datetime

from handlers.common.notify import notify_producer
from handlers.trainings.common import same_commune, training_context
from messages import Renderer
from storage import Store
from storage.trainings import Training


def announce_key(training_id: int, producer_id: int) -> str:
    """The dedupe key of a training's announcement to one producer: each hears of it once."""
    return f"announce:training:{training_id}:producer:{producer_id}"


async def announce_training(
    store: Store, renderer: Renderer, training: Training, now: datetime
) -> int:
    """Queue the training's announcement for every producer it is for not told yet; how many.

    Opting out of announcements, quiet hours and the daily cap apply as to any announcement;
    it stays worth sending until enrolment closes.
    """
    done = await store.rounds.queued_keys(f"announce:training:{training.id}:")
    context = {"training": await training_context(store, training, "vi")}
    queued = 0
    for producer_id, commune in await store.trainings.producers_to_announce(training):
        if training.audience == "commune" and not same_commune(training.audience_value, commune):
            continue
        key = announce_key(training.id, producer_id)
        if key in done:
            continue
        queued += await notify_producer(
            store, renderer, producer_id, "trainings/announce_new", context,
            kind="announcement", dedupe_key=key, now=now, event=training.registration_deadline,
        )
    return queued

