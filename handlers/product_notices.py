"""Notices about a producer's own dossier and certificate: never held back by the daily cap.

`handlers.notify.notify_producer` has no `cap_exempt` switch, so this picks the recipient the
same way (the linked account chosen for notices, else the first active one) and queues with
`cap_exempt=True`: a return, an acceptance or a certification is not a broadcast.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.notify import notify_user
from messages import Renderer
from storage import Store


async def notify_owner(
    store: Store,
    renderer: Renderer,
    producer_id: int,
    template: str,
    context: dict[str, Any],
    *,
    dedupe_key: str,
    now: datetime,
    urgent: bool = False,
) -> bool:
    """Queue a notice to the producer's notice account; False if none or already queued."""
    users = [
        u
        for u in await store.users.users_of_producer(producer_id)
        if u.channel != "terminal" and u.active
    ]
    chosen = await store.linking.notify_target(producer_id)
    target = next((u for u in users if u.id == chosen), None) or next(iter(users), None)
    if target is None:
        return False
    return await notify_user(
        store,
        renderer,
        target,
        template,
        context,
        kind="notice",
        dedupe_key=dedupe_key,
        now=now,
        urgent=urgent,
        cap_exempt=True,
    )
