"""The rules in force (values with their decision and article) and the revocation grounds."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.bundled import bundled
from storage.timefmt import from_db, to_db


class Rule(BaseModel):
    """One rule: its value as stored and where the decision states it."""

    model_config = ConfigDict(frozen=True)
    key: str
    value: str
    kind: str  # 'number', 'date' (yyyy-mm-dd), 'day_month' (dd/mm), 'text'
    decision: str
    article: str
    checked: bool
    name_vi: str
    name_en: str
    updated_by: str | None = None
    updated_at: datetime | None = None

    def name(self, locale: str) -> str:
        """The rule's name in the given locale."""
        return self.name_vi if locale == "vi" else self.name_en


class Ground(BaseModel):
    """A ground for revoking a certificate, as the decision lists it."""

    model_config = ConfigDict(frozen=True)
    code: str
    name_vi: str
    name_en: str
    decision: str
    article: str
    checked: bool

    def name(self, locale: str) -> str:
        """The ground in the given locale."""
        return self.name_vi if locale == "vi" else self.name_en


def _rule(row: aiosqlite.Row) -> Rule:
    return Rule(
        key=row["key"], value=row["value"], kind=row["kind"], decision=row["decision"],
        article=row["article"], checked=bool(row["checked"]), name_vi=row["name_vi"],
        name_en=row["name_en"], updated_by=row["updated_by"],
        updated_at=from_db(row["updated_at"]) if row["updated_at"] else None,
    )


class RulesRepo:
    """The rules: seeded from `storage/data/rules.json`, corrected in the database."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def load_bundled(self) -> None:
        """Insert the bundled rules and grounds the database lacks (corrections are kept)."""
        data = bundled("rules.json")
        for position, item in enumerate(data["rules"]):
            await self._db.execute(
                "INSERT OR IGNORE INTO rules (key, value, kind, decision, article, checked,"
                " name_vi, name_en, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (item["key"], item["value"], item["kind"], item["decision"], item["article"],
                 int(item["checked"]), item["name_vi"], item["name_en"], position),
            )
        first = data["rules"][0]
        for position, item in enumerate(data["revocation_grounds"]):
            await self._db.execute(
                "INSERT OR IGNORE INTO revocation_grounds (code, name_vi, name_en, decision,"
                " article, checked, position) VALUES (?, ?, ?, ?, ?, 0, ?)",
                (item["code"], item["name_vi"], item["name_en"], first["decision"],
                 item.get("article", "Điều 5–8"), position),
            )

    async def all(self) -> list[Rule]:
        """Every rule, in the order they are listed."""
        async with self._db.execute("SELECT * FROM rules ORDER BY position") as cur:
            return [_rule(row) for row in await cur.fetchall()]

    async def get(self, key: str) -> Rule | None:
        """The rule with this key."""
        async with self._db.execute("SELECT * FROM rules WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return _rule(row) if row else None

    async def number(self, key: str) -> int:
        """A numeric rule's value."""
        rule = await self.get(key)
        if rule is None or rule.kind != "number":
            raise KeyError(f"no number rule {key!r}")
        return int(rule.value)

    async def day(self, key: str) -> date:
        """A date rule's value."""
        rule = await self.get(key)
        if rule is None or rule.kind != "date":
            raise KeyError(f"no date rule {key!r}")
        return date.fromisoformat(rule.value)

    async def day_month(self, key: str) -> tuple[int, int]:
        """A (day, month) rule's value, as in a yearly calendar."""
        rule = await self.get(key)
        if rule is None or rule.kind != "day_month":
            raise KeyError(f"no day/month rule {key!r}")
        day, month = rule.value.split("/")
        return int(day), int(month)

    async def correct(
        self, key: str, value: str, by: str, now: datetime, *, article: str | None = None
    ) -> None:
        """Store a corrected value (and article: then it counts as checked)."""
        if article is None:
            await self._db.execute(
                "UPDATE rules SET value = ?, updated_by = ?, updated_at = ? WHERE key = ?",
                (value, by, to_db(now), key),
            )
        else:
            await self._db.execute(
                "UPDATE rules SET value = ?, article = ?, checked = 1, updated_by = ?,"
                " updated_at = ? WHERE key = ?",
                (value, article, by, to_db(now), key),
            )

    async def correct_ground(self, code: str, name_vi: str, name_en: str | None,
                             article: str | None) -> bool:
        """Reword a revocation ground (and its article: then it counts as checked)."""
        cur = await self._db.execute(
            "UPDATE revocation_grounds SET name_vi = ?, name_en = COALESCE(?, name_en),"
            " article = COALESCE(?, article), checked = CASE WHEN ? IS NULL THEN checked"
            " ELSE 1 END WHERE code = ?", (name_vi, name_en, article, article, code))
        return cur.rowcount == 1

    async def grounds(self) -> list[Ground]:
        """The revocation grounds, in the decision's order."""
        async with self._db.execute(
            "SELECT * FROM revocation_grounds ORDER BY position"
        ) as cur:
            rows = await cur.fetchall()
        return [
            Ground(code=r["code"], name_vi=r["name_vi"], name_en=r["name_en"],
                   decision=r["decision"], article=r["article"], checked=bool(r["checked"]))
            for r in rows
        ]
