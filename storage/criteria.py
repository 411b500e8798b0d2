"""The OCOP criteria by version: loading a checked bundle, reading one product set."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.criteria_models import (
    CriteriaBundle,
    CriteriaSet,
    CriteriaVersion,
    Criterion,
    EvidenceRow,
    Option,
)
from storage.timefmt import to_db


class CriteriaRepo:
    """Versions of the criteria, their product sets, criteria, options and evidence guide."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def load(self, bundle: CriteriaBundle, by: str, now: datetime) -> None:
        """Save a checked bundle as its version (replacing that version) and make it current."""
        version = bundle.version
        await self._db.execute("DELETE FROM criteria_options WHERE version = ?", (version,))
        await self._db.execute("DELETE FROM criteria WHERE version = ?", (version,))
        await self._db.execute("DELETE FROM criteria_sets WHERE version = ?", (version,))
        await self._db.execute("DELETE FROM criteria_evidence WHERE version = ?", (version,))
        await self._db.execute("UPDATE criteria_versions SET current = 0")
        await self._db.execute(
            "INSERT INTO criteria_versions (version, loaded_at, loaded_by, current)"
            " VALUES (?, ?, ?, 1) ON CONFLICT (version) DO UPDATE SET"
            " loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by, current = 1",
            (version, to_db(now), by),
        )
        await self._db.executemany(
            "INSERT INTO criteria_sets (version, set_no, slug, title, disqualification,"
            " star_legend) VALUES (?, ?, ?, ?, ?, ?)",
            [(version, s.set_no, s.slug, s.title, s.disqualification, int(s.star_legend))
             for s in bundle.sets],
        )
        await self._db.executemany(
            "INSERT INTO criteria (version, set_no, code, parent_code, section, depth, label,"
            " max_points, kind, note, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(version, s.set_no, c.code, c.parent, c.section, c.depth, c.label, c.max_points,
              c.kind, c.note, pos) for s in bundle.sets for pos, c in enumerate(s.rows)],
        )
        await self._db.executemany(
            "INSERT INTO criteria_options (version, set_no, section, criterion_code, option_no,"
            " case_key, label, points, min_star) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(version, s.set_no, c.section, c.code, o.no, o.case, o.label, o.points, o.min_star)
             for s in bundle.sets for c in s.rows for o in c.options],
        )
        await self._db.executemany(
            "INSERT INTO criteria_evidence (version, row_no, content, required)"
            " VALUES (?, ?, ?, ?)",
            [(version, e.row_no, e.content, e.required) for e in bundle.evidence],
        )

    async def versions(self) -> list[CriteriaVersion]:
        """Every loaded version, the newest load first."""
        async with self._db.execute(
            "SELECT v.*, (SELECT COUNT(*) FROM criteria_sets s WHERE s.version = v.version)"
            " AS sets FROM criteria_versions v ORDER BY loaded_at DESC"
        ) as cur:
            rows = await cur.fetchall()
        return [
            CriteriaVersion(version=r["version"], loaded_at=r["loaded_at"],
                            loaded_by=r["loaded_by"], current=bool(r["current"]), sets=r["sets"])
            for r in rows
        ]

    async def current_version(self) -> str | None:
        """The version new self-assessments use; None until criteria are loaded."""
        async with self._db.execute(
            "SELECT version FROM criteria_versions WHERE current = 1"
        ) as cur:
            row = await cur.fetchone()
        return str(row["version"]) if row else None

    async def set_for(self, version: str, set_no: int) -> CriteriaSet | None:
        """One product set's criteria in a version, with their options, in the source order."""
        async with self._db.execute(
            "SELECT * FROM criteria_sets WHERE version = ? AND set_no = ?", (version, set_no)
        ) as cur:
            head = await cur.fetchone()
        if head is None:
            return None
        options: dict[tuple[str, str], list[Option]] = {}
        async with self._db.execute(
            "SELECT * FROM criteria_options WHERE version = ? AND set_no = ?"
            " ORDER BY section, criterion_code, option_no", (version, set_no)
        ) as cur:
            for r in await cur.fetchall():
                options.setdefault((r["section"], r["criterion_code"]), []).append(Option(
                    no=r["option_no"], label=r["label"], points=r["points"],
                    min_star=r["min_star"], case=r["case_key"],
                ))
        async with self._db.execute(
            "SELECT * FROM criteria WHERE version = ? AND set_no = ? ORDER BY position",
            (version, set_no),
        ) as cur:
            rows = await cur.fetchall()
        criteria = tuple(
            Criterion(section=r["section"], code=r["code"], parent=r["parent_code"],
                      depth=r["depth"], label=r["label"], max_points=r["max_points"],
                      kind=r["kind"], note=r["note"],
                      options=tuple(options.get((r["section"], r["code"]), ())))
            for r in rows
        )
        return CriteriaSet(
            version=version, set_no=set_no, slug=head["slug"], title=head["title"],
            disqualification=head["disqualification"], star_legend=bool(head["star_legend"]),
            rows=criteria,
        )

    async def evidence(self, version: str) -> list[EvidenceRow]:
        """Mẫu 02's evidence guide as loaded with a version."""
        async with self._db.execute(
            "SELECT * FROM criteria_evidence WHERE version = ? ORDER BY row_no", (version,)
        ) as cur:
            rows = await cur.fetchall()
        return [EvidenceRow(row_no=r["row_no"], content=r["content"], required=r["required"])
                for r in rows]
