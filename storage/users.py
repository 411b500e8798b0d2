"""Users (one per channel account), their producers and their roles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from storage.models import Producer, Role, User
from storage.timefmt import from_db, from_db_opt, to_db

PRODUCER_FIELDS = ("name", "entity_type", "contact_person", "phone", "province_code", "commune")

USER_SELECT = (
    "SELECT u.*, r.role AS role, r.province_code AS officer_province FROM users u"
    " LEFT JOIN roles r ON r.user_id = u.id"
)

# a user writing now: created on first contact, else their chat and last contact refreshed
SEEN = (
    "INSERT INTO users (channel, external_id, chat_id, created_at, last_seen_at)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, external_id) DO UPDATE SET"
    " chat_id = excluded.chat_id, last_seen_at = excluded.last_seen_at, active = 1"
)


def user_from_row(row: aiosqlite.Row) -> User:
    """A user read with `USER_SELECT`."""
    return User(
        id=row["id"],
        channel=row["channel"],
        external_id=row["external_id"],
        chat_id=row["chat_id"],
        locale=row["locale"],
        producer_id=row["producer_id"],
        consent_at=from_db_opt(row["consent_at"]),
        reminders_on=bool(row["reminders_on"]),
        announcements_on=bool(row["announcements_on"]),
        active=bool(row["active"]),
        role=Role(row["role"]) if row["role"] else Role.PRODUCER,
        officer_province=row["officer_province"],
    )


def _producer(row: aiosqlite.Row) -> Producer:
    data: dict[str, Any] = dict(row)
    data["created_at"] = from_db(row["created_at"])
    data["updated_at"] = from_db(row["updated_at"])
    return Producer(**data)


class UsersRepo:
    """Channel accounts and the producers they belong to."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def _one(self, where: str, params: tuple[Any, ...]) -> User | None:
        async with self._db.execute(f"{USER_SELECT} WHERE {where}", params) as cur:
            row = await cur.fetchone()
        return user_from_row(row) if row else None

    async def get(self, user_id: int) -> User | None:
        """The user with this id."""
        return await self._one("u.id = ?", (user_id,))

    async def find(self, channel: str, external_id: str) -> User | None:
        """The user with this channel account, if they ever wrote to the bot."""
        return await self._one("u.channel = ? AND u.external_id = ?", (channel, external_id))

    async def seen(self, channel: str, external_id: str, chat_id: str, now: datetime) -> User:
        """Record that this account wrote now, creating the user on first contact."""
        await self._db.execute(SEEN, (channel, external_id, chat_id, to_db(now), to_db(now)))
        user = await self.find(channel, external_id)
        assert user is not None
        return user

    async def set_locale(self, user_id: int, locale: str) -> None:
        """Set the language the bot speaks to this user."""
        await self._db.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))

    async def give_consent(self, user_id: int, now: datetime) -> None:
        """Record that the user agreed to their data being kept."""
        await self._db.execute(
            "UPDATE users SET consent_at = ? WHERE id = ?", (to_db(now), user_id)
        )

    async def set_preferences(
        self,
        user_id: int,
        *,
        reminders_on: bool | None = None,
        announcements_on: bool | None = None,
    ) -> None:
        """Turn reminders or announcements on or off."""
        if reminders_on is not None:
            await self._db.execute(
                "UPDATE users SET reminders_on = ? WHERE id = ?", (int(reminders_on), user_id)
            )
        if announcements_on is not None:
            await self._db.execute(
                "UPDATE users SET announcements_on = ? WHERE id = ?",
                (int(announcements_on), user_id),
            )

    async def mark_unreachable(self, user_id: int) -> None:
        """Stop messaging a user the channel says has blocked or left the bot."""
        await self._db.execute("UPDATE users SET active = 0 WHERE id = ?", (user_id,))

    async def attach_producer(self, user_id: int, producer_id: int) -> None:
        """Link a user to their producer profile."""
        await self._db.execute(
            "UPDATE users SET producer_id = ? WHERE id = ?", (producer_id, user_id)
        )

    async def create_producer(self, fields: dict[str, str], now: datetime) -> int:
        """Create a producer profile from onboarding answers and return its id."""
        values = [fields[name] for name in PRODUCER_FIELDS]
        cur = await self._db.execute(
            f"INSERT INTO producers ({', '.join(PRODUCER_FIELDS)}, created_at, updated_at)"
            f" VALUES ({', '.join('?' * len(PRODUCER_FIELDS))}, ?, ?)",
            (*values, to_db(now), to_db(now)),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def producer(self, producer_id: int) -> Producer | None:
        """The producer profile with this id."""
        async with self._db.execute("SELECT * FROM producers WHERE id = ?", (producer_id,)) as cur:
            row = await cur.fetchone()
        return _producer(row) if row else None

    async def update_producer_field(
        self, producer_id: int, field: str, value: str, now: datetime
    ) -> None:
        """Change one field of a producer profile."""
        if field not in PRODUCER_FIELDS:
            raise ValueError(f"unknown producer field {field!r}")
        # The column name comes from the fixed tuple above, never from user input.
        await self._db.execute(
            f"UPDATE producers SET {field} = ?, updated_at = ? WHERE id = ?",
            (value, to_db(now), producer_id),
        )

    async def users_of_producer(self, producer_id: int) -> list[User]:
        """Every channel account linked to a producer."""
        async with self._db.execute(
            f"{USER_SELECT} WHERE u.producer_id = ? ORDER BY u.id", (producer_id,)
        ) as cur:
            return [user_from_row(row) for row in await cur.fetchall()]

    async def officers_of(self, province_code: str) -> list[User]:
        """The officers of a province (admins are not included: they watch every province)."""
        async with self._db.execute(
            f"{USER_SELECT} WHERE r.role = 'officer' AND r.province_code = ? ORDER BY u.id",
            (province_code,),
        ) as cur:
            return [user_from_row(row) for row in await cur.fetchall()]

    async def staff(self, province_code: str | None = None) -> list[User]:
        """Officers and admins granted a role (of one province, or all), by province then id."""
        async with self._db.execute(
            f"{USER_SELECT} WHERE r.role IS NOT NULL AND (? IS NULL OR r.province_code = ?)"
            " ORDER BY r.province_code, u.id",
            (province_code, province_code),
        ) as cur:
            return [user_from_row(row) for row in await cur.fetchall()]

    async def forget(self, user_id: int) -> None:
        """Delete a user's personal data: profile (unless shared), drafts, consent."""
        user = await self.get(user_id)
        if user is None:
            return
        await self._db.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
        await self._db.execute(
            "UPDATE users SET producer_id = NULL, consent_at = NULL WHERE id = ?", (user_id,)
        )
        if user.producer_id is not None:
            async with self._db.execute(
                "SELECT COUNT(*) FROM users WHERE producer_id = ?", (user.producer_id,)
            ) as cur:
                row = await cur.fetchone()
            if row is not None and row[0] == 0:  # certified products keep their producer
                await self._db.execute(
                    "DELETE FROM producers WHERE id = ? AND NOT EXISTS (SELECT 1 FROM products p"
                    " JOIN certifications c ON c.product_id = p.id WHERE p.producer_id = ?"
                    " AND c.certified = 1)", (user.producer_id, user.producer_id))

    async def grant(
        self, user_id: int, role: Role, province_code: str | None, by: str, now: datetime
    ) -> None:
        """Make a user an officer (of a province) or an admin."""
        await self._db.execute(
            "INSERT INTO roles (user_id, role, province_code, granted_by, granted_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET role = excluded.role,"
            " province_code = excluded.province_code, granted_by = excluded.granted_by,"
            " granted_at = excluded.granted_at",
            (user_id, role.value, province_code, by, to_db(now)),
        )

    async def admin_addresses(self) -> list[str]:
        """Every account granted the admin role (`grant admin`, an invitation), `channel:id`."""
        cur = await self._db.execute(
            "SELECT u.channel, u.external_id FROM roles r JOIN users u ON u.id = r.user_id"
            " WHERE r.role = 'admin' ORDER BY u.channel, u.external_id")
        return [f"{row[0]}:{row[1]}" for row in await cur.fetchall()]

    async def revoke(self, user_id: int) -> bool:
        """Take a user's officer or admin role away; False if they had none."""
        cur = await self._db.execute("DELETE FROM roles WHERE user_id = ?", (user_id,))
        return cur.rowcount > 0

    async def reserve(self, channel: str, external_id: str, now: datetime) -> User:
        """The user for an account that has not written yet (to grant it a role ahead)."""
        return await self.seen(channel, external_id, external_id, now)
