"""Product reference data: groups and sets, dossier items, star bands (bundled, editable)."""

from __future__ import annotations

import json

import aiosqlite

from storage.bundled import bundled
from storage.product_models import DossierItem, ProductGroup, ProductSet, StarBand


def _bundled(name: str) -> list[dict[str, object]]:
    data: list[dict[str, object]] = bundled(name)
    return data


class CatalogRepo:
    """Product groups, product sets, dossier items and star bands."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def load_bundled(self) -> None:
        """Insert bundled rows the database does not have yet (officers' edits are kept)."""
        position = 0
        for g_pos, group in enumerate(_bundled("product_groups.json")):
            await self._db.execute(
                "INSERT OR IGNORE INTO product_groups (code, name_vi, name_en, position)"
                " VALUES (?, ?, ?, ?)",
                (group["code"], group["name_vi"], group["name_en"], g_pos),
            )
            for item in group["sets"]:  # type: ignore[attr-defined]
                position += 1
                await self._db.execute(
                    "INSERT OR IGNORE INTO product_sets (code, group_code, name_vi, name_en,"
                    " position) VALUES (?, ?, ?, ?, ?)",
                    (item["code"], group["code"], item["name_vi"], item["name_en"], position),
                )
        for pos, item in enumerate(_bundled("dossier_items.json")):
            await self._db.execute(
                "INSERT OR IGNORE INTO dossier_items (code, name_vi, name_en, explain_vi,"
                " explain_en, groups, exclude, optional, physical, position)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item["code"],
                    item["name_vi"],
                    item["name_en"],
                    item["explain_vi"],
                    item["explain_en"],
                    json.dumps(item["groups"]),
                    json.dumps(item["exclude"]),
                    int(bool(item.get("optional", False))),
                    int(bool(item.get("physical", False))),
                    pos,
                ),
            )
        for band in _bundled("star_bands.json"):
            await self._db.execute(
                "INSERT OR IGNORE INTO star_bands (stars, min_score, certified) VALUES (?, ?, ?)",
                (band["stars"], band["min_score"], int(bool(band["certified"]))),
            )

    async def groups(self) -> list[ProductGroup]:
        """The product groups, in the official order."""
        async with self._db.execute("SELECT * FROM product_groups ORDER BY position") as cur:
            rows = await cur.fetchall()
        return [
            ProductGroup(code=r["code"], name_vi=r["name_vi"], name_en=r["name_en"]) for r in rows
        ]

    async def group(self, code: str | None) -> ProductGroup | None:
        """The group with this code."""
        return next((g for g in await self.groups() if g.code == code), None)

    async def sets(self, group_code: str | None = None) -> list[ProductSet]:
        """The product sets (of one group, or all), in the official order."""
        sql, params = "SELECT * FROM product_sets", ()
        if group_code is not None:
            sql, params = f"{sql} WHERE group_code = ?", (group_code,)  # type: ignore[assignment]
        async with self._db.execute(f"{sql} ORDER BY position", params) as cur:
            rows = await cur.fetchall()
        return [
            ProductSet(
                code=r["code"],
                group_code=r["group_code"],
                name_vi=r["name_vi"],
                name_en=r["name_en"],
            )
            for r in rows
        ]

    async def product_set(self, code: str | None) -> ProductSet | None:
        """The product set with this code."""
        return next((s for s in await self.sets() if s.code == code), None)

    async def dossier_items(self, group_code: str | None = None) -> list[DossierItem]:
        """The dossier items (those that apply to a group when one is given), in order."""
        async with self._db.execute("SELECT * FROM dossier_items ORDER BY position") as cur:
            rows = await cur.fetchall()
        items = [
            DossierItem(
                code=r["code"],
                name_vi=r["name_vi"],
                name_en=r["name_en"],
                explain_vi=r["explain_vi"],
                explain_en=r["explain_en"],
                groups=tuple(json.loads(r["groups"])),
                exclude=tuple(json.loads(r["exclude"])),
                optional=bool(r["optional"]),
                physical=bool(r["physical"]),
            )
            for r in rows
        ]
        if group_code is None:
            return items
        return [item for item in items if item.applies_to(group_code)]

    async def star_bands(self) -> list[StarBand]:
        """The star bands, highest first."""
        async with self._db.execute("SELECT * FROM star_bands ORDER BY min_score DESC") as cur:
            rows = await cur.fetchall()
        return [
            StarBand(stars=r["stars"], min_score=r["min_score"], certified=bool(r["certified"]))
            for r in rows
        ]

    async def band_for(self, score: float) -> StarBand:
        """The band a score falls in."""
        bands = await self.star_bands()
        for band in bands:
            if score >= band.min_score:
                return band
        return bands[-1]
