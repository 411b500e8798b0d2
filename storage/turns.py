"""The start of a chat turn: the update recorded, the user seen, their conversation read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.conversations import STATE_COLUMNS, state_from_row
from storage.models import ConversationState, User
from storage.queued import send
from storage.timefmt import from_db, to_db
from storage.users import SEEN, USER_SELECT, user_from_row

_CLAIM = (
    "INSERT INTO processed_updates (update_key, processed_at) VALUES (?, ?)"
    " ON CONFLICT (update_key) DO NOTHING RETURNING update_key"
)
SEEN_EVERY = timedelta(hours=1)  # a returning account's last contact, kept to the hour
_SEEN_AGAIN = "UPDATE users SET chat_id = ?, last_seen_at = ?, active = 1 WHERE id = ?"
_MAIN_MENU = ConversationState().step
_FIRST_STATE = (
    "INSERT INTO conversations (user_id, step, updated_at) VALUES (?, ?, ?)"
    " ON CONFLICT (user_id) DO NOTHING"
)
_STATE = ", ".join(f"c.{column}" for column in STATE_COLUMNS.split(", "))
_USER_AND_STATE = (
    USER_SELECT.replace(" FROM users u", f", {_STATE} FROM users u", 1)
    + " LEFT JOIN conversations c ON c.user_id = u.id"
    " WHERE u.channel = ? AND u.external_id = ?"
)


@dataclass(frozen=True)
class TurnStart:
    """What a turn starts from."""

    first_delivery: bool  # False: the update was recorded before (a re-delivery)
    user: User
    state: ConversationState


class TurnsRepo:
    """The statements every chat turn begins with, sent together."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def start(self, update_key: str | None, channel: str, external_id: str,
                    chat_id: str, now: datetime) -> TurnStart:
        """Record the update (once) and read the account with its conversation: one round
        trip on a server. The account is made on a first contact not entered apart, and its
        chat, reachability and last contact (to the hour: the figures count days) are
        written only when they change."""
        claim = None
        if update_key:
            claim = await send(self._db, _CLAIM, (update_key, to_db(now)))
        read = await send(self._db, _USER_AND_STATE, (channel, external_id))
        # every row read (fetchall): SQLite cannot commit while a statement is unfinished
        first = claim is None or bool(await claim.fetchall())
        rows = await read.fetchall()
        if not rows:  # a first contact not entered apart: the account is made now
            await self._db.execute(SEEN, (channel, external_id, chat_id, to_db(now), to_db(now)))
            rows = await (await send(self._db, _USER_AND_STATE, (channel, external_id))).fetchall()
        (row,) = rows
        user = user_from_row(row)
        if (user.chat_id != chat_id or not user.active
                or from_db(row["last_seen_at"]) <= now - SEEN_EVERY):
            await send(self._db, _SEEN_AGAIN, (chat_id, to_db(now), user.id))  # no answer read
            user = user.model_copy(update={"chat_id": chat_id, "active": True})
        return TurnStart(first_delivery=first, user=user, state=state_from_row(row))

    async def enter(self, channel: str, external_id: str, chat_id: str, now: datetime) -> None:
        """Make sure the account has its user and a conversation (the main menu) by writes
        alone, reading no row: newcomers entered side by side never conflict."""
        seen = await send(self._db, f"{SEEN} RETURNING id",
                          (channel, external_id, chat_id, to_db(now), to_db(now)))
        (row,) = await seen.fetchall()  # an upsert always gives its row
        await send(self._db, _FIRST_STATE, (row["id"], _MAIN_MENU, to_db(now)))
