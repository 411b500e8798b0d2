"""Producers' self-assessments (tự chấm điểm): one per product, its answers saved one by one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timefmt import from_db, from_db_opt, to_db


@dataclass(frozen=True)
class SelfAssessment:
    """A product's self-assessment: the criteria version and set it uses, where it stopped."""

    id: int
    product_id: int
    version: str
    set_no: int
    position: str
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    score: float | None
    stars: int | None


@dataclass(frozen=True)
class Candidate:
    """A product whose finished self-assessment is close to the next star (for coaching)."""

    product_id: int
    name: str
    producer: str
    score: float
    stars: int
    band: int  # the stars of the points alone: more than `stars` when a minimum is unmet


Answers = dict[str, int | None]  # criterion key → option number; None: "chưa rõ"


def _assessment(r: aiosqlite.Row) -> SelfAssessment:
    return SelfAssessment(
        id=r["id"], product_id=r["product_id"], version=r["version"], set_no=r["set_no"],
        position=r["position"], started_at=from_db(r["started_at"]),
        updated_at=from_db(r["updated_at"]), finished_at=from_db_opt(r["finished_at"]),
        score=r["score"], stars=r["stars"],
    )


class AssessmentsRepo:
    """Self-assessments and their answers."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def of_product(self, product_id: int) -> SelfAssessment | None:
        """The product's self-assessment, if one was started."""
        async with self._db.execute(
            "SELECT * FROM self_assessments WHERE product_id = ?", (product_id,)
        ) as cur:
            row = await cur.fetchone()
        return _assessment(row) if row else None

    async def of_products(self, product_ids: list[int]) -> dict[int, SelfAssessment]:
        """The self-assessments of several products, by product."""
        if not product_ids:
            return {}
        marks = ",".join("?" * len(product_ids))
        async with self._db.execute(
            f"SELECT * FROM self_assessments WHERE product_id IN ({marks})", product_ids
        ) as cur:
            rows = await cur.fetchall()
        return {r["product_id"]: _assessment(r) for r in rows}

    async def start(self, product_id: int, version: str, set_no: int,
                    now: datetime) -> SelfAssessment:
        """Start (or start again, answers cleared) the product's self-assessment."""
        await self._db.execute(
            "INSERT INTO self_assessments (product_id, version, set_no, started_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (product_id) DO UPDATE SET"
            " version = excluded.version, set_no = excluded.set_no, position = '',"
            " started_at = excluded.started_at, updated_at = excluded.updated_at,"
            " finished_at = NULL, score = NULL, stars = NULL",
            (product_id, version, set_no, to_db(now), to_db(now)),
        )
        found = await self.of_product(product_id)
        assert found is not None
        await self._db.execute(
            "DELETE FROM self_assessment_answers WHERE assessment_id = ?", (found.id,)
        )
        return found

    async def answers(self, assessment_id: int) -> Answers:
        """The answers given so far."""
        async with self._db.execute(
            "SELECT criterion_key, option_no FROM self_assessment_answers"
            " WHERE assessment_id = ?", (assessment_id,)
        ) as cur:
            rows = await cur.fetchall()
        return {r["criterion_key"]: r["option_no"] for r in rows}

    async def answer(self, assessment_id: int, key: str, option_no: int | None,
                     now: datetime) -> None:
        """Save one answer at once (None: "chưa rõ")."""
        await self._db.execute(
            "INSERT INTO self_assessment_answers (assessment_id, criterion_key, option_no,"
            " answered_at) VALUES (?, ?, ?, ?) ON CONFLICT (assessment_id, criterion_key)"
            " DO UPDATE SET option_no = excluded.option_no, answered_at = excluded.answered_at",
            (assessment_id, key, option_no, to_db(now)),
        )
        await self._db.execute(
            "UPDATE self_assessments SET updated_at = ? WHERE id = ?", (to_db(now), assessment_id)
        )

    async def move_to(self, assessment_id: int, key: str) -> None:
        """Remember the criterion the producer is at (to resume there)."""
        await self._db.execute(
            "UPDATE self_assessments SET position = ? WHERE id = ?", (key, assessment_id)
        )

    async def finish(self, assessment_id: int, score: float, stars: int, now: datetime) -> None:
        """Keep the result of a completed self-assessment (shown to officers)."""
        await self._db.execute(
            "UPDATE self_assessments SET finished_at = COALESCE(finished_at, ?), score = ?,"
            " stars = ?, updated_at = ? WHERE id = ?",
            (to_db(now), score, stars, to_db(now), assessment_id),
        )

    async def close_to_next_star(self, province: str | None, within: float) -> list[Candidate]:
        """Finished self-assessments at most `within` points under the next band (50/70/90),
        or whose points reach a band that an unmet minimum keeps them from."""
        band = "(SELECT MAX(b.stars) FROM star_bands b WHERE b.min_score <= a.score)"
        sql = (
            f"SELECT a.product_id, a.score, a.stars, {band} AS band, p.name,"
            " pr.name AS producer"
            " FROM self_assessments a JOIN products p ON p.id = a.product_id"
            " JOIN producers pr ON pr.id = p.producer_id"
            " WHERE a.finished_at IS NOT NULL AND a.score IS NOT NULL"
            " AND (EXISTS (SELECT 1 FROM star_bands b WHERE b.certified = 1"
            " AND b.min_score > a.score AND b.min_score - a.score <= ?)"
            f" OR {band} > a.stars)"
        )
        params: list[object] = [within]
        if province is not None:
            sql += " AND pr.province_code = ?"
            params.append(province)
        async with self._db.execute(f"{sql} ORDER BY a.score DESC", params) as cur:
            rows = await cur.fetchall()
        return [Candidate(product_id=r["product_id"], name=r["name"], producer=r["producer"],
                          score=r["score"], stars=r["stars"], band=r["band"]) for r in rows]
