"""Reference data (provinces, entity types, …) shipped as data files and kept in the database."""

from __future__ import annotations

import json

import aiosqlite

from storage.bundled import bundled
from storage.models import EntityType, Province


class ReferenceRepo:
    """Reference data: seeded from the bundled files, editable in the database."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def load_bundled(self) -> None:
        """Insert bundled rows that the database does not have yet (edits are kept)."""
        for position, item in enumerate(bundled("provinces.json")):
            await self._db.execute(
                "INSERT OR IGNORE INTO provinces (code, name, kind, former, aliases, position)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    item["code"],
                    item["name"],
                    item["kind"],
                    json.dumps(item["former"], ensure_ascii=False),
                    json.dumps(item.get("aliases", []), ensure_ascii=False),
                    position,
                ),
            )
        for position, item in enumerate(bundled("entity_types.json")):
            await self._db.execute(
                "INSERT OR IGNORE INTO entity_types (code, name_vi, name_en, position)"
                " VALUES (?, ?, ?, ?)",
                (item["code"], item["name_vi"], item["name_en"], position),
            )

    async def provinces(self) -> list[Province]:
        """All provinces and cities, in the official order."""
        async with self._db.execute("SELECT * FROM provinces ORDER BY position") as cur:
            rows = await cur.fetchall()
        return [
            Province(
                code=r["code"],
                name=r["name"],
                kind=r["kind"],
                former=tuple(json.loads(r["former"])),
                aliases=tuple(json.loads(r["aliases"])),
            )
            for r in rows
        ]

    async def province(self, code: str) -> Province | None:
        """The province with this code."""
        return next((p for p in await self.provinces() if p.code == code), None)

    async def entity_types(self) -> list[EntityType]:
        """The kinds of producer."""
        async with self._db.execute("SELECT * FROM entity_types ORDER BY position") as cur:
            rows = await cur.fetchall()
        return [
            EntityType(code=r["code"], name_vi=r["name_vi"], name_en=r["name_en"]) for r in rows
        ]

    async def entity_type(self, code: str) -> EntityType | None:
        """The entity type with this code."""
        return next((e for e in await self.entity_types() if e.code == code), None)
