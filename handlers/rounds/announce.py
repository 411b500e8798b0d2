"""A new round is announced once to the producers it concerns (province, kind of application)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.common.notify import notify_producer
from handlers.rounds.common import round_context
from messages import Renderer
from storage import Store
from storage.rounds import Round


def announce_key(round_id: int, producer_id: int) -> str:
    """The dedupe key of a round's announcement to one producer: each hears of it once."""
    return f"announce:round:{round_id}:producer:{producer_id}"


async def announce_round(
    store: Store, renderer: Renderer, rnd: Round, now: datetime, zone: ZoneInfo
) -> int:
    """Queue the round's announcement for every producer it concerns not told yet; how many.

    Opting out of announcements, quiet hours and the daily cap apply as to any announcement;
    it stays worth sending until registration closes.
    """
    done = await store.rounds.queued_keys(f"announce:round:{rnd.id}:")
    context = {"round": round_context(rnd, now, zone)}
    queued = 0
    for producer_id in await store.rounds.producers_to_announce(rnd):
        key = announce_key(rnd.id, producer_id)
        if key in done:
            continue
        queued += await notify_producer(
            store, renderer, producer_id, "rounds/announce_new", context,
            kind="announcement", dedupe_key=key, now=now, event=rnd.registration_deadline,
        )
    return queued

