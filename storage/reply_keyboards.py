"""Chats still showing a one-time reply keyboard (the "share my phone" button)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.timefmt import to_db


class ReplyKeyboardsRepo:
    """Note a reply keyboard shown, and put away, per channel and chat."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def shown(self, channel: str, chat_id: str, now: datetime) -> None:
        """The chat now shows a reply keyboard."""
        await self._db.execute(
            "INSERT INTO reply_keyboards (channel, chat_id, shown_at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, chat_id) DO UPDATE SET shown_at = excluded.shown_at",
            (channel, chat_id, to_db(now)),
        )

    async def put_away(self, channel: str, chat_id: str) -> None:
        """The chat's reply keyboard was removed."""
        await self._db.execute(
            "DELETE FROM reply_keyboards WHERE channel = ? AND chat_id = ?", (channel, chat_id)
        )

    async def showing(self, channel: str) -> set[str]:
        """The chats of a channel that still show a reply keyboard."""
        async with self._db.execute(
            "SELECT chat_id FROM reply_keyboards WHERE channel = ?", (channel,)
        ) as cur:
            return {row[0] for row in await cur.fetchall()}
