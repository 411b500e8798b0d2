"""Trainings (tập huấn), their topics, and enrolments with a waiting list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from storage.bundled import bundled
from storage.enrolments import EnrolmentQueries
from storage.timefmt import from_db, to_db
from storage.training_models import NewTraining, Topic, Training

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


class TrainingsRepo(EnrolmentQueries):
    """Trainings and who is enrolled or waiting."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

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
