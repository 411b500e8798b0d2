"""Communes and wards as real places: the 3,321 of the 34 provinces after the 2025 reform, with
their codes (the `vietnam-provinces` package), matched from names typed with or without
diacritics and the "Xã"/"Phường" prefix. Producers keep the text they typed beside the place."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache

import aiosqlite

_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|x|p|tt)\s+")
_NOT_WORD = re.compile(r"[^\w\s]")
_CITY = re.compile(r"^(thanh pho|tinh)\s+")


def place_key(text: str) -> str:
    """A place name as matched: lowercase, no diacritics (đ→d), no punctuation, no prefix."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = " ".join(_NOT_WORD.sub(" ", plain).split())
    return _PREFIX.sub("", _CITY.sub("", words))


@cache
def _wards() -> dict[str, list[tuple[int, str]]]:
    """Each province's communes and wards (code, official name), by the province's key."""
    from vietnam_provinces import Province, Ward  # 3,321 places: loaded when first matched

    provinces = {int(p.code): place_key(p.name) for p in Province.iter_all()}
    found: dict[str, list[tuple[int, str]]] = {}
    for ward in Ward.iter_all():
        found.setdefault(provinces[int(ward.province_code)], []).append((int(ward.code),
                                                                        ward.name))
    return found


@cache
def _names() -> dict[int, str]:
    """Every commune's and ward's official name, by its code."""
    return {code: name for wards in _wards().values() for code, name in wards}


def commune_name(code: int) -> str | None:
    """The official name of a commune or ward by its code (None: no such code)."""
    return _names().get(code)


def written_apart(commune: str | None, typed: str | None) -> str:
    """The commune as written when it names another place than the official name it became
    (an old address converted); empty when it only lacks diacritics or the prefix."""
    if not typed or place_key(typed) == place_key(commune or ""):
        return ""
    return typed


def communes_of(province_name: str) -> list[tuple[int, str]]:
    """The communes and wards of a province (by its name), as (code, official name)."""
    return _wards().get(place_key(province_name), [])


def match(province_name: str, typed: str) -> list[tuple[int, str]]:
    """The places of the province a typed name may mean: the exact ones, else those it starts."""
    key = place_key(typed)
    if not key:
        return []
    places = communes_of(province_name)
    exact = [p for p in places if place_key(p[1]) == key]
    return exact or [p for p in places if place_key(p[1]).startswith(key + " ")]


def convert_old(typed: str, province_name: str, formers: list[str]) -> tuple[int, str] | None:
    """The commune of today of an old address ("Thông Hòa, Cầu Kè" in a former province:
    commune and district before the 2025 reform), by `vietnamadminunits`; None when it
    cannot say, or says another province."""
    if "," not in typed:
        return None  # without the former district the conversion is not reliable
    from vietnamadminunits import convert_address  # loaded only for such an address

    for former in formers:
        try:
            found = convert_address(f"{typed}, {former}")
        except Exception:  # an address it cannot read is no place
            continue
        if found.ward_code and place_key(found.province or "") == place_key(province_name):
            return int(found.ward_code), str(found.ward)
    return None


class PlacesRepo:
    """Producers' communes matched to places."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def place_producers(self, producer_id: int | None = None) -> int:
        """Match the communes not looked at yet (all, or one producer's); how many matched.
        One that cannot be matched keeps its text and stays listed by `unplaced`."""
        async with self._db.execute(
            "SELECT p.id, p.commune, v.name, v.former, o.former_province FROM producers p"
            " JOIN provinces v ON v.code = p.province_code LEFT JOIN producer_origins o"
            " ON o.producer_id = p.id WHERE p.commune_typed IS NULL AND (? IS NULL OR p.id = ?)",
            (producer_id, producer_id),
        ) as cur:
            rows = await cur.fetchall()
        placed = 0
        for pid, commune, province, formers, origin in rows:
            found = match(province, commune or "")
            old = [origin] if origin else [*json.loads(formers), province]
            converted = convert_old(commune or "", province, old) if len(found) != 1 else None
            code, name = found[0] if len(found) == 1 else converted or (None, commune)
            placed += code is not None
            await self._db.execute(
                "UPDATE producers SET commune_code = ?, commune = ?, commune_typed = ?"
                " WHERE id = ?", (code, name, commune or "", pid))
        return placed

    async def place_targets(self) -> int:
        """Targets set for a commune by its name ("commune:Cầu Kè") become targets of its code
        ("commune:29254"), as the figures count; how many. A name that matches no single
        commune of the province stays as it was."""
        async with self._db.execute(
            "SELECT t.province_code, t.year, t.scope, v.name FROM targets t"
            " JOIN provinces v ON v.code = t.province_code WHERE t.scope LIKE 'commune:%'",
        ) as cur:
            rows = await cur.fetchall()
        placed = 0
        for province, year, scope, province_name in rows:
            typed = scope.partition(":")[2]
            found = match(province_name, typed) if not typed.isdigit() else []
            if len(found) == 1:
                await self._db.execute(
                    "UPDATE OR IGNORE targets SET scope = ? WHERE province_code = ?"
                    " AND year = ? AND scope = ?",
                    (f"commune:{found[0][0]}", province, year, scope))
                placed += 1
        return placed

    async def keep_typed(self, producer_id: int, typed: str) -> None:
        """Keep the commune as the person wrote it, beside the official name it became."""
        await self._db.execute(
            "UPDATE producers SET commune_typed = ? WHERE id = ?", (typed, producer_id))

    async def replace(self, producer_id: int) -> None:
        """Look at a producer's commune again (after it was changed)."""
        await self._db.execute(
            "UPDATE producers SET commune_code = NULL, commune_typed = NULL WHERE id = ?",
            (producer_id,))
        await self.place_producers(producer_id)

    async def unplaced(self, province_code: str | None = None) -> list[tuple[int, str, str, str]]:
        """Producers whose commune is no known place: (id, name, province code, as typed)."""
        async with self._db.execute(
            "SELECT id, name, province_code, commune_typed FROM producers"
            " WHERE commune_code IS NULL AND commune_typed IS NOT NULL"
            " AND (? IS NULL OR province_code = ?) ORDER BY province_code, commune_typed, id",
            (province_code, province_code),
        ) as cur:
            return [(r[0], r[1], r[2], r[3]) for r in await cur.fetchall()]
