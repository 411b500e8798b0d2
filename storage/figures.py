"""The figures officers are judged by, each one query on the data the rest of the bot uses.

Definitions (also in the README):
- a product belongs to its producer's province and commune (its code; '' when not placed);
- in force: the product's latest certified result, issued by `today`, not yet expired and
  not revoked;
- newly certified in a year: products with a certified result decided that year (the
  decision date, or the issue date for imported certificates), counted once, at their best;
- a producer is claimed when at least one chat account is linked to it, active when one of
  those accounts wrote in the last 30 days.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import aiosqlite

from storage.figure_models import PIPELINE_STATUSES, Row, Scope, Stars, Summary, YearCount

EXPIRY_WINDOW = timedelta(days=90)
ACTIVE_WINDOW = timedelta(days=30)
_UNDECIDED = ("at_commune", "submitted", "returned", "accepted", "rated")
_COMMUNE = "COALESCE(CAST(pr.commune_code AS TEXT), '')"  # the commune's code; '' unplaced

# What a breakdown groups products and producers by.
_KEYS = {
    "commune": _COMMUNE,
    "group": "COALESCE(p.group_code, '')",
    "former": "COALESCE(o.former_province, '')",
    "province": "pr.province_code",
    "": "''",
}

# One line per product of the scope: its current certificate (the latest certified result,
# found through the index) and its best certificate decided in the year; the grouping key.
_PER_PRODUCT = """
SELECT p.id, pr.id AS producer, {key} AS key,
    CASE WHEN p.status = 'submitted' AND EXISTS (SELECT 1 FROM commune_reviews cr
          WHERE cr.product_id = p.id AND cr.decided_at IS NULL) THEN 'at_commune'
         ELSE p.status END AS status,
    CASE WHEN COALESCE(c.issued_on, c.decision_date, :today) <= :today
          AND (c.expires_on IS NULL OR c.expires_on >= :today)
          AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.certification_id = c.id)
         THEN c.stars END AS live,
    c.expires_on AS expires_on,
    EXISTS (SELECT 1 FROM revocations r WHERE r.certification_id = c.id) AS revoked,
    (SELECT MAX(f.stars) FROM certifications f
      WHERE f.product_id = p.id AND f.certified = 1
        AND COALESCE(f.decision_date, f.issued_on) >= :year_start
        AND COALESCE(f.decision_date, f.issued_on) < :year_end) AS fresh
FROM products p JOIN producers pr ON pr.id = p.producer_id
LEFT JOIN producer_origins o ON o.producer_id = pr.id
LEFT JOIN certifications c ON c.id = (SELECT MAX(l.id) FROM certifications l
                                       WHERE l.product_id = p.id AND l.certified = 1)
WHERE {where}"""

_LINKED = "EXISTS (SELECT 1 FROM users u WHERE u.producer_id = pr.id)"


def _filters(scope: Scope, params: dict[str, Any], *, products: bool) -> str:
    """The WHERE clause of a scope over `pr` (producers), `o` (origins) and `p` (products)."""
    clauses = ["1 = 1"]
    if scope.province:
        clauses.append("pr.province_code = :province")
        params["province"] = scope.province
    if scope.commune is not None:
        clauses.append(f"{_COMMUNE} = :commune")
        params["commune"] = scope.commune
    if scope.former is not None:
        clauses.append("COALESCE(o.former_province, '') = :former")
        params["former"] = scope.former
    if scope.group is not None:
        params["group"] = scope.group
        clauses.append(
            "COALESCE(p.group_code, '') = :group" if products else
            "EXISTS (SELECT 1 FROM products g WHERE g.producer_id = pr.id"
            " AND COALESCE(g.group_code, '') = :group)"
        )
    return " AND ".join(clauses)


def _params(year: int, today: date) -> dict[str, Any]:
    return {
        "today": today.isoformat(),
        "soon": (today + EXPIRY_WINDOW).isoformat(),
        "since": (today - ACTIVE_WINDOW).isoformat(),
        "year_start": f"{year:04d}-01-01",
        "year_end": f"{year + 1:04d}-01-01",
    }


def _int(value: Any) -> int:
    return int(value or 0)


class FiguresRepo:
    """Counts of products, certificates, producers, rounds and trainings for a scope."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def _products(self, scope: Scope, year: int, today: date, by: str) -> list[Any]:
        params = _params(year, today)
        where = _filters(scope, params, products=True)
        statuses = ", ".join(
            f"COALESCE(SUM(status = '{s}'), 0) AS st_{s}" for s in PIPELINE_STATUSES
        )
        undecided = ", ".join(f"'{s}'" for s in _UNDECIDED)
        inner = _PER_PRODUCT.format(key=_KEYS[by], where=where)
        # Materialised: each product's certificates are looked up once, not once per SUM.
        sql = f"""
            WITH per_product AS MATERIALIZED ({inner})
            SELECT key,
                COALESCE(SUM(live = 3), 0) AS in3, COALESCE(SUM(live = 4), 0) AS in4,
                COALESCE(SUM(live = 5), 0) AS in5,
                COALESCE(SUM(fresh = 3), 0) AS new3, COALESCE(SUM(fresh = 4), 0) AS new4,
                COALESCE(SUM(fresh = 5), 0) AS new5,
                COALESCE(SUM(status IN ({undecided})), 0) AS undecided,
                COALESCE(SUM(live IS NOT NULL AND expires_on <= :soon), 0) AS expiring,
                COALESCE(SUM(live IS NOT NULL AND expires_on <= :soon AND EXISTS (
                    SELECT 1 FROM users u WHERE u.producer_id = producer)), 0)
                    AS expiring_on_bot,
                COALESCE(SUM(expires_on < :today AND NOT revoked), 0) AS expired,
                COUNT(DISTINCT producer) AS producers, {statuses}
            FROM per_product GROUP BY key"""
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _producers(self, scope: Scope, today: date, by: str) -> dict[str, tuple[int, ...]]:
        params = _params(today.year, today)
        where = _filters(scope, params, products=False)
        sql = f"""
            SELECT {_KEYS[by]} AS key, COUNT(*) AS producers,
                COALESCE(SUM({_LINKED}), 0) AS claimed,
                COALESCE(SUM(EXISTS (SELECT 1 FROM users u WHERE u.producer_id = pr.id
                                     AND u.last_seen_at >= :since)), 0) AS active
            FROM producers pr LEFT JOIN producer_origins o ON o.producer_id = pr.id
            WHERE {where} GROUP BY 1"""
        async with self._db.execute(sql, params) as cursor:
            rows = await cursor.fetchall()
        return {r["key"]: (r["producers"], r["claimed"], r["active"]) for r in rows}

    async def _rounds(self, province: str | None, today: date) -> tuple[int, int]:
        async with self._db.execute(
            "SELECT COUNT(*) AS open, COALESCE(SUM((SELECT COUNT(*) FROM round_entries e"
            " WHERE e.round_id = r.id AND e.status = 'entered')), 0) AS entries"
            " FROM rounds r WHERE r.status = 'active' AND r.results_at >= :today"
            " AND (:province IS NULL OR r.province_code = :province)",
            {"today": today.isoformat(), "province": province},
        ) as cursor:
            row = await cursor.fetchone()
        return (_int(row["open"]), _int(row["entries"])) if row else (0, 0)

    async def _trainings(self, province: str | None, year: int, today: date) -> tuple[int, ...]:
        params = {**_params(year, today), "province": province}
        async with self._db.execute(
            "SELECT COUNT(DISTINCT t.id) AS trainings,"
            " COALESCE(SUM(e.status = 'enrolled'), 0) AS enrolled,"
            " COALESCE(SUM(e.status = 'waiting'), 0) AS waiting,"
            " COALESCE(SUM(e.status = 'enrolled' AND t.ends_at < :today), 0) AS attended"
            " FROM trainings t LEFT JOIN enrolments e ON e.training_id = t.id"
            " WHERE t.status = 'active' AND t.starts_at >= :year_start"
            " AND t.starts_at < :year_end"
            " AND (:province IS NULL OR t.province_code = :province)",
            params,
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return tuple(_int(row[k]) for k in ("trainings", "enrolled", "waiting", "attended"))

    async def target(self, scope: Scope, year: int) -> int | None:
        """The target that applies to a scope: a province's or a commune's (None when unset,
        or for a product group or a former province); for the country, the provinces' sum."""
        if scope.group is not None or scope.former is not None:
            return None
        if scope.commune is not None and scope.province is None:
            return None
        async with self._db.execute(
            "SELECT SUM(products) AS n FROM targets WHERE year = :year AND scope = :scope"
            " AND (:province IS NULL OR province_code = :province)",
            {"year": year, "province": scope.province,
             "scope": f"commune:{scope.commune}" if scope.commune is not None else ""},
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None or row["n"] is None else int(row["n"])

    async def province_summary(self, province: str | None, year: int, today: date) -> Summary:
        """The figures of a province (None: the country) for a year, with its target."""
        return await self.summary(Scope(province=province), year, today)

    async def summary(self, scope: Scope, year: int, today: date) -> Summary:
        """Every figure of one screen for a scope and a year, as of `today`, with its target."""
        target = await self.target(scope, year)
        products = await self._products(scope, year, today, "")
        p = products[0] if products else None
        producers, claimed, active = (await self._producers(scope, today, "")).get("", (0, 0, 0))
        open_rounds, entries = await self._rounds(scope.province, today)
        trainings, enrolled, waiting, attended = await self._trainings(scope.province, year, today)
        return Summary(
            scope=scope,
            year=year,
            today=today,
            in_force=Stars(three=_int(p and p["in3"]), four=_int(p and p["in4"]),
                           five=_int(p and p["in5"])),
            new_this_year=Stars(three=_int(p and p["new3"]), four=_int(p and p["new4"]),
                                five=_int(p and p["new5"])),
            target=target,
            pipeline={s: _int(p and p[f"st_{s}"]) for s in PIPELINE_STATUSES},
            expiring=_int(p and p["expiring"]),
            expiring_on_bot=_int(p and p["expiring_on_bot"]),
            expired=_int(p and p["expired"]),
            producers=producers,
            claimed=claimed,
            active_30d=active,
            open_rounds=open_rounds,
            round_entries=entries,
            trainings=trainings,
            enrolled=enrolled,
            waiting=waiting,
            attended=attended,
        )

    async def breakdown(self, scope: Scope, year: int, today: date, by: str) -> list[Row]:
        """The scope's figures split by commune, group, former province or province."""
        if by not in _KEYS or not by:
            raise ValueError(f"unknown breakdown {by!r}")
        people = {} if by == "group" else await self._producers(scope, today, by)
        rows = []
        for r in await self._products(scope, year, today, by):
            rows.append(Row(
                key=r["key"],
                in_force=Stars(three=r["in3"], four=r["in4"], five=r["in5"]),
                new_this_year=r["new3"] + r["new4"] + r["new5"],
                pipeline=r["undecided"],
                expiring=r["expiring"],
                producers=people.pop(r["key"], (r["producers"],))[0],
            ))
        zero = Stars()
        rows += [Row(key=key, in_force=zero, new_this_year=0, pipeline=0, expiring=0,
                     producers=counts[0]) for key, counts in people.items()]
        return sorted(rows, key=lambda row: (-row.in_force.total, -row.producers, row.key))

    async def by_year(
        self, scope: Scope, years: list[int], targets: dict[int, int] | None = None
    ) -> list[YearCount]:
        """Products newly certified in each of `years`, by stars, with each year's target."""
        params = _params(min(years), date(max(years), 12, 31))
        params["year_end"] = f"{max(years) + 1:04d}-01-01"
        where = _filters(scope, params, products=True)
        sql = f"""
            SELECT year, COALESCE(SUM(stars = 3), 0) AS s3, COALESCE(SUM(stars = 4), 0) AS s4,
                COALESCE(SUM(stars = 5), 0) AS s5
            FROM (SELECT substr(COALESCE(c.decision_date, c.issued_on), 1, 4) AS year,
                         MAX(c.stars) AS stars
                  FROM producers pr JOIN products p ON p.producer_id = pr.id
                  LEFT JOIN producer_origins o ON o.producer_id = pr.id
                  CROSS JOIN certifications c ON c.product_id = p.id  -- products first
                  WHERE c.certified = 1
                    AND COALESCE(c.decision_date, c.issued_on) >= :year_start
                    AND COALESCE(c.decision_date, c.issued_on) < :year_end AND {where}
                  GROUP BY 1, c.product_id)
            GROUP BY year"""
        async with self._db.execute(sql, params) as cursor:
            found = {int(r["year"]): r for r in await cursor.fetchall()}
        counts = []
        for year in years:
            row = found.get(year)
            new = Stars(three=row["s3"], four=row["s4"], five=row["s5"]) if row else Stars()
            counts.append(YearCount(year=year, new=new, target=(targets or {}).get(year)))
        return counts

    async def communes(self, province: str, limit: int = 30) -> list[str]:
        """The communes of a province's producers, the busiest first."""
        async with self._db.execute(
            "SELECT commune FROM producers WHERE province_code = ? AND commune != ''"
            " GROUP BY commune ORDER BY COUNT(*) DESC, commune LIMIT ?",
            (province, limit),
        ) as cursor:
            return [r["commune"] for r in await cursor.fetchall()]

    async def formers(self, province: str | None) -> list[str]:
        """The former provinces recorded for a province's producers."""
        async with self._db.execute(
            "SELECT DISTINCT o.former_province FROM producer_origins o"
            " JOIN producers pr ON pr.id = o.producer_id"
            " WHERE (:province IS NULL OR pr.province_code = :province)"
            " ORDER BY o.former_province",
            {"province": province},
        ) as cursor:
            return [r["former_province"] for r in await cursor.fetchall()]

    async def set_origin(self, producer_id: int, former_province: str) -> None:
        """Record the former (pre-2025) province a producer was registered in."""
        await self._db.execute(
            "INSERT INTO producer_origins (producer_id, former_province) VALUES (?, ?)"
            " ON CONFLICT (producer_id) DO UPDATE SET former_province = excluded.former_province",
            (producer_id, former_province),
        )
