"""Seats and waiting lists of trainings: who is enrolled, who waits, who attended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from storage.timefmt import from_db, to_db
from storage.training_models import Attendee, Enrolment, EnrolResult, Training


def _enrolment(row: aiosqlite.Row) -> Enrolment:
    return Enrolment(
        id=row["id"],
        training_id=row["training_id"],
        user_id=row["user_id"],
        status=row["status"],
        queued_at=from_db(row["queued_at"]),
    )


class EnrolmentQueries:
    """The enrolment half of the trainings repository (`store.trainings`)."""

    _db: aiosqlite.Connection

    async def get(self, training_id: int) -> Training | None:
        """The training with this id, with its seat counts (the trainings half answers)."""
        raise NotImplementedError

    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[aiosqlite.Row]:
        async with self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def enrolment(self, enrolment_id: int) -> Enrolment | None:
        """One enrolment."""
        rows = await self._all("SELECT * FROM enrolments WHERE id = ?", (enrolment_id,))
        return _enrolment(rows[0]) if rows else None

    async def enrolment_of(self, training_id: int, user_id: int) -> Enrolment | None:
        """A user's enrolment in a training (any status)."""
        rows = await self._all(
            "SELECT * FROM enrolments WHERE training_id = ? AND user_id = ?",
            (training_id, user_id),
        )
        return _enrolment(rows[0]) if rows else None

    async def enrol(
        self, training_id: int, user_id: int, now: datetime, *, wait: bool = False
    ) -> EnrolResult:
        """Take a seat (or a waiting place when `wait`), checked inside this transaction."""
        training = await self.get(training_id)
        if training is None or training.status != "active" or training.starts_at <= now:
            return EnrolResult.GONE
        if now >= training.registration_deadline:
            return EnrolResult.CLOSED
        mine = await self.enrolment_of(training_id, user_id)
        if mine is not None and mine.status != "cancelled":
            return EnrolResult.ALREADY
        if training.seats_left > 0:
            status = EnrolResult.ENROLLED
        elif wait:
            status = EnrolResult.WAITING
        else:
            return EnrolResult.FULL
        await self._db.execute(
            "INSERT INTO enrolments (training_id, user_id, status, queued_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (training_id, user_id) DO UPDATE SET"
            " status = excluded.status, queued_at = excluded.queued_at,"
            " updated_at = excluded.updated_at",
            (training_id, user_id, status.value, to_db(now), to_db(now)),
        )
        return status

    async def withdraw(self, enrolment_id: int, now: datetime) -> None:
        """Cancel an enrolment or leave the waiting list."""
        await self._db.execute(
            "UPDATE enrolments SET status = 'cancelled', updated_at = ? WHERE id = ?",
            (to_db(now), enrolment_id),
        )

    async def forget_user(self, user_id: int) -> list[int]:
        """Delete every enrolment of a user; the trainings where they held or awaited a seat."""
        rows = await self._all(
            "SELECT DISTINCT training_id FROM enrolments WHERE user_id = ?"
            " AND status IN ('enrolled', 'waiting')",
            (user_id,),
        )
        await self._db.execute("DELETE FROM enrolments WHERE user_id = ?", (user_id,))
        return [row["training_id"] for row in rows]

    async def promote_waiting(self, training_id: int, now: datetime) -> list[int]:
        """Give free seats to the first people waiting; the user ids promoted."""
        training = await self.get(training_id)
        if training is None or training.status != "active" or training.seats_left == 0:
            return []
        rows = await self._all(
            "SELECT id, user_id FROM enrolments WHERE training_id = ? AND status = 'waiting'"
            " ORDER BY queued_at, id LIMIT ?",
            (training_id, training.seats_left),
        )
        for row in rows:
            await self._db.execute(
                "UPDATE enrolments SET status = 'enrolled', updated_at = ? WHERE id = ?",
                (to_db(now), row["id"]),
            )
        return [row["user_id"] for row in rows]

    async def people(self, training_id: int, statuses: tuple[str, ...]) -> list[int]:
        """User ids with an enrolment of one of these statuses, in queue order."""
        rows = await self._all(
            "SELECT user_id FROM enrolments WHERE training_id = ?"
            f" AND status IN ({', '.join('?' * len(statuses))}) ORDER BY queued_at, id",
            (training_id, *statuses),
        )
        return [row[0] for row in rows]

    async def of_user(self, user_id: int, now: datetime) -> list[tuple[Training, Enrolment]]:
        """The user's enrolments (and waiting places) in trainings not ended yet."""
        rows = await self._all(
            "SELECT * FROM enrolments WHERE user_id = ? AND status != 'cancelled' ORDER BY id",
            (user_id,),
        )
        found = []
        for row in rows:
            training = await self.get(row["training_id"])
            if training is not None and training.status == "active" and training.ends_at > now:
                found.append((training, _enrolment(row)))
        return sorted(found, key=lambda pair: pair[0].starts_at)

    async def attendees(self, training_id: int) -> list[Attendee]:
        """Enrolled and waiting people with their producer's details, in queue order."""
        rows = await self._all(
            "SELECT e.status, e.queued_at, o.name, o.contact_person, o.phone, o.commune,"
            " o.province_code FROM enrolments e JOIN users u ON u.id = e.user_id"
            " LEFT JOIN producers o ON o.id = u.producer_id"
            " WHERE e.training_id = ? AND e.status != 'cancelled'"
            " ORDER BY e.status = 'waiting', e.queued_at, e.id",
            (training_id,),
        )
        return [
            Attendee(
                status=r["status"],
                contact_person=r["contact_person"] or "",
                organisation=r["name"] or "",
                phone=r["phone"] or "",
                commune=r["commune"] or "",
                province_code=r["province_code"] or "",
                queued_at=from_db(r["queued_at"]),
            )
            for r in rows
        ]

    async def held_for(self, user_id: int) -> list[tuple[str, str]]:
        """(training title, enrolment status) of every enrolment of a user (data export)."""
        rows = await self._all(
            "SELECT t.title, e.status FROM enrolments e JOIN trainings t ON t.id = e.training_id"
            " WHERE e.user_id = ? ORDER BY e.id",
            (user_id,),
        )
        return [(r[0], r[1]) for r in rows]
