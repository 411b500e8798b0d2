"""Trainings (tập huấn), their topics, and enrolments with a waiting list."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.bundled import bundled
from storage.models import Named
from storage.timefmt import from_db, to_db

EDITABLE = (
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "capacity",
    "registration_deadline",
)
_TIMES = ("starts_at", "ends_at", "registration_deadline")


class Topic(Named):
    """A training topic from the reference list."""


class NewTraining(BaseModel):
    """What an officer (or a file) gives to publish a training."""

    model_config = ConfigDict(frozen=True)
    title: str
    topic_code: str
    province_code: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    online_url: str = ""
    capacity: int
    audience: str = "province"  # 'all', 'province', 'commune', 'group'
    audience_value: str = ""
    registration_deadline: datetime


class Training(NewTraining):
    """A published training."""

    id: int
    status: str
    enrolled: int = 0
    waiting: int = 0

    @property
    def seats_left(self) -> int:
        """Seats not taken yet."""
        return max(self.capacity - self.enrolled, 0)


class Enrolment(BaseModel):
    """One person's place (or place in the queue) in a training."""

    model_config = ConfigDict(frozen=True)
    id: int
    training_id: int
    user_id: int
    status: str  # 'enrolled', 'waiting', 'cancelled'
    queued_at: datetime


class Attendee(BaseModel):
    """A line of the attendance list."""

    model_config = ConfigDict(frozen=True)
    status: str
    contact_person: str
    organisation: str
    phone: str
    commune: str
    province_code: str
    queued_at: datetime


class EnrolResult(StrEnum):
    """What happened when someone asked for a seat."""

    ENROLLED = "enrolled"
    WAITING = "waiting"
    FULL = "full"  # no seat left; the waiting list is offered
    ALREADY = "already"
    CLOSED = "closed"  # registration deadline passed
    GONE = "gone"  # cancelled or already started


_SELECT = (
    "SELECT t.*,"
    " (SELECT COUNT(*) FROM enrolments e WHERE e.training_id = t.id AND e.status = 'enrolled')"
    " AS enrolled,"
    " (SELECT COUNT(*) FROM enrolments e WHERE e.training_id = t.id AND e.status = 'waiting')"
    " AS waiting FROM trainings t"
)


def _training(row: aiosqlite.Row) -> Training:
    data: dict[str, Any] = dict(row)
    for name in _TIMES:
        data[name] = from_db(row[name])
    return Training.model_validate({k: v for k, v in data.items() if k in Training.model_fields})


def _enrolment(row: aiosqlite.Row) -> Enrolment:
    return Enrolment(
        id=row["id"],
        training_id=row["training_id"],
        user_id=row["user_id"],
        status=row["status"],
        queued_at=from_db(row["queued_at"]),
    )


class TrainingsRepo:
    """Trainings and who is enrolled or waiting."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[aiosqlite.Row]:
        async with self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def load_bundled(self) -> None:
        """Seed the topic reference list from the bundled file (edits in the database are kept)."""
        for position, item in enumerate(bundled("training_topics.json")):
            await self._db.execute(
                "INSERT OR IGNORE INTO training_topics (code, name_vi, name_en, position)"
                " VALUES (?, ?, ?, ?)",
                (item["code"], item["name_vi"], item["name_en"], position),
            )

    async def topics(self) -> list[Topic]:
        """The topic reference list."""
        rows = await self._all("SELECT * FROM training_topics ORDER BY position")
        return [Topic(code=r["code"], name_vi=r["name_vi"], name_en=r["name_en"]) for r in rows]

    async def topic(self, code: str) -> Topic | None:
        """One topic."""
        return next((t for t in await self.topics() if t.code == code), None)

    async def create(self, new: NewTraining, by: str, now: datetime) -> int:
        """Publish a training and return its id."""
        cur = await self._db.execute(
            "INSERT INTO trainings (title, topic_code, province_code, starts_at, ends_at, place,"
            " online_url, capacity, audience, audience_value, registration_deadline, created_by,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.title,
                new.topic_code,
                new.province_code,
                to_db(new.starts_at),
                to_db(new.ends_at),
                new.place,
                new.online_url,
                new.capacity,
                new.audience,
                new.audience_value,
                to_db(new.registration_deadline),
                by,
                to_db(now),
                to_db(now),
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def exists(self, province_code: str, title: str, starts_at: datetime) -> bool:
        """Whether the province already has an active training with this title and start."""
        rows = await self._all(
            "SELECT 1 FROM trainings WHERE province_code = ? AND title = ? AND starts_at = ?"
            " AND status = 'active'",
            (province_code, title, to_db(starts_at)),
        )
        return bool(rows)

    async def get(self, training_id: int) -> Training | None:
        """The training with this id, with its seat counts."""
        rows = await self._all(f"{_SELECT} WHERE t.id = ?", (training_id,))
        return _training(rows[0]) if rows else None

    async def update(self, training_id: int, field: str, value: Any, now: datetime) -> None:
        """Change one field of a training."""
        if field not in EDITABLE:
            raise ValueError(field)
        stored = to_db(value) if field in _TIMES else value
        await self._db.execute(
            f"UPDATE trainings SET {field} = ?, updated_at = ? WHERE id = ?",
            (stored, to_db(now), training_id),
        )

    async def cancel(self, training_id: int, now: datetime) -> None:
        """Cancel a training."""
        await self._db.execute(
            "UPDATE trainings SET status = 'cancelled', updated_at = ? WHERE id = ?",
            (to_db(now), training_id),
        )

    async def managed(self, province_code: str | None, now: datetime) -> list[Training]:
        """Active trainings not yet ended, of one province (all for None)."""
        sql = f"{_SELECT} WHERE t.status = 'active' AND t.ends_at > ?"
        params: tuple[Any, ...] = (to_db(now),)
        if province_code is not None:
            sql += " AND t.province_code = ?"
            params = (*params, province_code)
        return [_training(r) for r in await self._all(f"{sql} ORDER BY t.starts_at", params)]

    async def upcoming_near(self, province_code: str, now: datetime) -> list[Training]:
        """Active trainings not started yet, for everyone or organised in this province."""
        rows = await self._all(
            f"{_SELECT} WHERE t.status = 'active' AND t.starts_at > ?"
            " AND (t.audience = 'all' OR t.province_code = ?) ORDER BY t.starts_at",
            (to_db(now), province_code),
        )
        return [_training(r) for r in rows]

    async def starting_between(self, start: datetime, end: datetime) -> list[Training]:
        """Active trainings starting in (start, end]."""
        rows = await self._all(
            f"{_SELECT} WHERE t.status = 'active' AND t.starts_at > ? AND t.starts_at <= ?",
            (to_db(start), to_db(end)),
        )
        return [_training(r) for r in rows]

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

    async def announceable(self, now: datetime) -> list[Training]:
        """Active trainings still open for enrolment: worth announcing."""
        rows = await self._all(
            f"{_SELECT} WHERE t.status = 'active' AND t.registration_deadline > ?"
            " AND t.starts_at > ? ORDER BY t.id",
            (to_db(now), to_db(now)),
        )
        return [_training(r) for r in rows]

    async def producers_to_announce(self, training: Training) -> list[tuple[int, str]]:
        """(producer id, commune) of the producers a training is for (its province unless it
        is for everyone; of its product group if it names one) that take announcements."""
        rows = await self._all(
            "SELECT o.id, o.commune FROM producers o WHERE (? OR o.province_code = ?)"
            " AND EXISTS (SELECT 1 FROM users u WHERE u.producer_id = o.id AND u.active = 1"
            " AND u.announcements_on = 1)"
            " AND (? = 0 OR EXISTS (SELECT 1 FROM products p WHERE p.producer_id = o.id"
            " AND p.group_code = ?))"
            " ORDER BY o.id",
            (int(training.audience == "all"), training.province_code,
             int(training.audience == "group"), training.audience_value),
        )
        return [(r[0], r[1] or "") for r in rows]

    async def product_groups_of(self, producer_id: int) -> set[str]:
        """Product group codes of a producer's products."""
        rows = await self._all(
            "SELECT DISTINCT group_code FROM products WHERE producer_id = ?"
            " AND group_code IS NOT NULL",
            (producer_id,),
        )
        return {row[0] for row in rows}

    async def held_for(self, user_id: int) -> list[tuple[str, str]]:
        """(training title, enrolment status) of every enrolment of a user (data export)."""
        rows = await self._all(
            "SELECT t.title, e.status FROM enrolments e JOIN trainings t ON t.id = e.training_id"
            " WHERE e.user_id = ? ORDER BY e.id",
            (user_id,),
        )
        return [(r[0], r[1]) for r in rows]
