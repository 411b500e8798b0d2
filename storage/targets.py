"""Targets of newly certified products a province sets for a year, and its report schedule."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.figure_models import Target
from storage.timefmt import to_db


class TargetsRepo:
    """The year's targets (whole province, per star level, per commune) and monthly reports."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def set(
        self, province: str, year: int, products: int, *, scope: str = "", by: str,
        now: datetime,
    ) -> None:
        """Set (or replace) the target of a province for a year; `scope` narrows it."""
        await self._db.execute(
            "INSERT INTO targets (province_code, year, scope, products, set_by, set_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (province_code, year, scope) DO UPDATE"
            " SET products = excluded.products, set_by = excluded.set_by,"
            " set_at = excluded.set_at",
            (province, year, scope, products, by, to_db(now)),
        )

    async def of_province(self, province: str, year: int) -> list[Target]:
        """Every target of a province for a year, the whole-province one first."""
        async with self._db.execute(
            "SELECT * FROM targets WHERE province_code = ? AND year = ? ORDER BY scope",
            (province, year),
        ) as cur:
            rows = await cur.fetchall()
        return [Target(province=r["province_code"], year=r["year"], scope=r["scope"],
                       products=r["products"]) for r in rows]

    async def total(self, province: str | None, year: int, scope: str = "") -> int | None:
        """The target for a year (a province's, or the sum over the country); None if unset."""
        async with self._db.execute(
            "SELECT SUM(products) AS n FROM targets WHERE year = ? AND scope = ?"
            " AND (? IS NULL OR province_code = ?)",
            (year, scope, province, province),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None or row["n"] is None else int(row["n"])

    async def by_year(self, province: str | None, years: list[int]) -> dict[int, int]:
        """The whole-province target of each year that has one."""
        found = {}
        for year in years:
            if (value := await self.total(province, year)) is not None:
                found[year] = value
        return found

    async def schedule(self, province: str, on: bool, *, by: str, now: datetime) -> None:
        """Send (or stop sending) the monthly report to the province's officers."""
        if on:
            await self._db.execute(
                "INSERT OR REPLACE INTO report_schedules (province_code, set_by, set_at)"
                " VALUES (?, ?, ?)",
                (province, by, to_db(now)),
            )
        else:
            await self._db.execute(
                "DELETE FROM report_schedules WHERE province_code = ?", (province,)
            )

    async def scheduled(self) -> list[str]:
        """Provinces whose officers get the monthly report."""
        async with self._db.execute(
            "SELECT province_code FROM report_schedules ORDER BY province_code"
        ) as cur:
            return [r["province_code"] for r in await cur.fetchall()]
