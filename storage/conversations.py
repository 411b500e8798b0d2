"""Where each user is in a conversation, their saved drafts, and updates already handled."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from storage.models import ConversationState, OfferedChoice
from storage.timefmt import from_db, to_db

STATE_COLUMNS = "step, data, offered, menu_version, last_choice"
MIN_SHOWN = 4  # shorter words are too common to say a menu shows a person


def state_from_row(row: aiosqlite.Row | None) -> ConversationState:
    """A conversation state read from `STATE_COLUMNS` (none: the main menu)."""
    if row is None or row["step"] is None:
        return ConversationState()
    return ConversationState(
        step=row["step"],
        data=json.loads(row["data"]),
        offered=[OfferedChoice(**item) for item in json.loads(row["offered"])],
        menu_version=row["menu_version"],
        last_choice=row["last_choice"],
    )


class ConversationsRepo:
    """Conversation state, drafts and the processed-update ledger."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def state_of(self, user_id: int) -> ConversationState:
        """The user's conversation state (the main menu if they have none)."""
        async with self._db.execute(
            f"SELECT {STATE_COLUMNS} FROM conversations WHERE user_id = ?",
            (user_id,),
        ) as cur:
            row = await cur.fetchone()
        return state_from_row(row)

    async def save_state(self, user_id: int, state: ConversationState, now: datetime) -> None:
        """Store the user's conversation state."""
        offered = json.dumps([choice.model_dump(mode="json") for choice in state.offered])
        await self._db.execute(
            "INSERT INTO conversations (user_id, step, data, offered, menu_version, last_choice,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " step = excluded.step, data = excluded.data, offered = excluded.offered,"
            " menu_version = excluded.menu_version, last_choice = excluded.last_choice,"
            " updated_at = excluded.updated_at",
            (
                user_id,
                state.step,
                json.dumps(state.data, ensure_ascii=False),
                offered,
                state.menu_version,
                state.last_choice,
                to_db(now),
            ),
        )

    async def forget_menus_showing(self, words: list[str], except_user: int) -> int:
        """Forget the menus on other people's screens that show any of these words (a deleted
        producer's name or products); a press on one then gets the polite "menu expired"."""
        needles = [word.casefold() for word in words if len(word.strip()) >= MIN_SHOWN]
        if not needles:
            return 0
        async with self._db.execute(
            "SELECT user_id, offered FROM conversations WHERE user_id != ? AND offered != '[]'",
            (except_user,),
        ) as cur:
            rows = await cur.fetchall()
        showing = []
        for row in rows:
            shown = " ".join(w for c in json.loads(row["offered"]) for w in c.get("words", ()))
            if any(needle in shown.casefold() for needle in needles):
                showing.append(row["user_id"])
        await self._db.executemany(
            "UPDATE conversations SET offered = '[]' WHERE user_id = ?",
            [(user_id,) for user_id in showing],
        )
        return len(showing)

    async def draft(self, user_id: int, kind: str) -> dict[str, Any] | None:
        """A saved, unfinished draft of this kind (e.g. 'onboarding')."""
        async with self._db.execute(
            "SELECT data FROM drafts WHERE user_id = ? AND kind = ?", (user_id, kind)
        ) as cur:
            row = await cur.fetchone()
        return json.loads(row["data"]) if row else None

    async def save_draft(
        self, user_id: int, kind: str, data: dict[str, Any], now: datetime
    ) -> None:
        """Save (replace) an unfinished draft."""
        await self._db.execute(
            "INSERT INTO drafts (user_id, kind, data, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id, kind) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            (user_id, kind, json.dumps(data, ensure_ascii=False), to_db(now)),
        )

    async def drop_draft(self, user_id: int, kind: str) -> None:
        """Forget a draft once it has been turned into real records."""
        await self._db.execute(
            "DELETE FROM drafts WHERE user_id = ? AND kind = ?", (user_id, kind)
        )

    async def drafts_idle_since(self, before: datetime) -> list[tuple[int, str, datetime]]:
        """Drafts not touched since `before`: (user id, kind, last touched)."""
        async with self._db.execute(
            "SELECT user_id, kind, updated_at FROM drafts WHERE updated_at <= ?",
            (to_db(before),),
        ) as cur:
            rows = await cur.fetchall()
        return [(row["user_id"], row["kind"], from_db(row["updated_at"])) for row in rows]

    async def claim_update(self, update_key: str, now: datetime) -> bool:
        """Record an incoming update; False if it was handled before (a re-delivery)."""
        cur = await self._db.execute(
            "INSERT OR IGNORE INTO processed_updates (update_key, processed_at) VALUES (?, ?)",
            (update_key, to_db(now)),
        )
        return cur.rowcount == 1

    async def was_handled(self, update_key: str) -> bool:
        """Whether an incoming update was recorded before (read only)."""
        async with self._db.execute(
            "SELECT 1 FROM processed_updates WHERE update_key = ?", (update_key,)
        ) as cur:
            return await cur.fetchone() is not None

    async def prune_updates(self, older_than: timedelta, now: datetime) -> int:
        """Forget handled update keys older than the channels could re-deliver."""
        cur = await self._db.execute(
            "DELETE FROM processed_updates WHERE processed_at < ?", (to_db(now - older_than),)
        )
        return cur.rowcount
