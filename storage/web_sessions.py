"""Sign-in links and sessions of the officers' web console (only secrets' hashes are stored)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.hashing import digest
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class WebSession:
    """An open session: whose it is and the token every form of it must carry."""

    user_id: int
    csrf: str
    expires_at: datetime


class WebSessionsRepo:
    """One-time links (asked for in chat) and the sessions they open."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def new_link(self, user_id: int, now: datetime, valid: timedelta) -> str:
        """A new one-time sign-in token for this user, valid for `valid`."""
        token = secrets.token_urlsafe(32)
        await self._db.execute(
            "INSERT INTO web_links (token_hash, user_id, created_at, expires_at)"
            " VALUES (?, ?, ?, ?)",
            (digest(token), user_id, to_db(now), to_db(now + valid)),
        )
        return token

    async def use_link(self, token: str, now: datetime) -> int | None:
        """The user a link signs in, marking it used; None if unknown, used or expired."""
        async with self._db.execute(
            "UPDATE web_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
            " AND expires_at > ? RETURNING user_id",
            (to_db(now), digest(token), to_db(now)),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def open(self, user_id: int, now: datetime, valid: timedelta) -> str:
        """Open a session; the returned token goes in the cookie."""
        token = secrets.token_urlsafe(32)
        await self._db.execute(
            "INSERT INTO web_sessions (token_hash, user_id, csrf, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (digest(token), user_id, secrets.token_urlsafe(24), to_db(now), to_db(now + valid)),
        )
        return token

    async def find(self, token: str, now: datetime) -> WebSession | None:
        """The open, unexpired session of a cookie token."""
        async with self._db.execute(
            "SELECT user_id, csrf, expires_at FROM web_sessions WHERE token_hash = ?"
            " AND ended_at IS NULL AND expires_at > ?",
            (digest(token), to_db(now)),
        ) as cur:
            row = await cur.fetchone()
        return WebSession(int(row[0]), str(row[1]), from_db(row[2])) if row else None

    async def end(self, token: str, now: datetime) -> None:
        """End a session (logout)."""
        await self._db.execute(
            "UPDATE web_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
            (to_db(now), digest(token)),
        )
