"""First contacts, written apart from their turn, so that many newcomers at once don't clash."""

from __future__ import annotations

import logging
from datetime import datetime

from handlers.engine.events import Incoming
from handlers.engine.recent import RecentKeys
from storage import Database

log = logging.getLogger(__name__)

KNOWN_LIMIT = 50_000  # accounts remembered; one forgotten costs one more short transaction


class Newcomers:
    """The accounts this process has seen. Before an account's first turn here, a short
    transaction of writes alone makes sure it has its user and conversation: a turn that
    read those rows while another newcomer inserted beside them would be rolled back as a
    serialization conflict on a PostgreSQL server (its locks cover index pages, not rows)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._known = RecentKeys(KNOWN_LIMIT)

    async def admit(self, event: Incoming, now: datetime) -> None:
        """Record the account of `event` if this process has not seen it yet (best effort:
        the turn itself creates the user all the same). SQLite runs one writer at a time,
        so its turns never conflict: nothing to do there."""
        person = f"{event.channel}:{event.external_id}"
        if self._db.engine != "postgresql":
            return
        if person in self._known:
            return
        try:
            async with self._db.read_committed(chat=person) as store:
                await store.turns.enter(event.channel, event.external_id, event.chat_id, now)
        except Exception:
            log.warning("first contact of %s not recorded apart; its turn does it", person,
                        exc_info=True)
            return
        self._known.add(person)
