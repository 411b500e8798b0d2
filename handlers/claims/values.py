"""Values as existing lists write them: stars, authorities, provinces, entity types, dates."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from messages import Renderer
from messages.text import fold, search, without_province_prefix
from storage.models import Province

LOCALES = ("vi", "en")
DISTRICT_LEVEL_ENDED = date(2025, 7, 1)  # 1489/QĐ-TTg: the province certifies 3★ from then
_STARS = re.compile(
    r"^(?:hạng\s*|hang\s*)?([1-5])(?:[.,]0+)?\s*(?:sao|stars?|\*+|★+)?\s*"
    r"(?:\(\s*(\*+|★+)\s*\))?$", re.I,
)  # "3", "3.0", "3 sao", "3*", "4★", "3 sao (***)", "Hạng 4 sao"
_DRAWN = re.compile(r"^(\*+|★+)$")  # "***", "★★★★"
_YEARS = re.compile(r"^(?:(?:19|20)\d{2}\s*[,;/&+-]\s*|(?:19|20)\d{2}\s+(?:và|va|and)\s+)+"
                    r"(?:19|20)\d{2}$", re.I)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YEAR = re.compile(r"^(?:năm\s+|nam\s+)?((?:19|20)\d{2})$", re.I)
_PUNCT = re.compile(r"[^\w\s]")


def text_of(value: Any) -> str:
    """A cell as text, trimmed ("" when empty; 4.0 → "4")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@lru_cache(maxsize=65_536)  # a list repeats its provinces, kinds and words thousands of times
def loose(text: str) -> str:
    """Folded, punctuation read as spaces: the form names are compared on."""
    return " ".join(_PUNCT.sub(" ", fold(text)).split())


def stars_of(value: Any) -> int | None:
    """3, 4 or 5 from "4", 4.0, "4.0", "4 sao", "4*", "4★", "4 sao (****)", "****", "★★★★";
    None otherwise (and when the drawn stars disagree with the number)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 3 <= value <= 5 else None
    text = " ".join(unicodedata.normalize("NFC", text_of(value)).split())
    if drawn := _DRAWN.match(text):
        count = len(drawn[1])
    elif found := _STARS.match(text):
        count = int(found[1])
        if found[2] and len(found[2]) != count:
            return None
    else:
        return None
    return count if 3 <= count <= 5 else None


def score_of(value: Any) -> float | str | None:
    """A score 0–100, None when empty, "bad" when it cannot be read."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = text_of(value)
        if not text:
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return "bad"
    return number if 0 <= number <= 100 else "bad"


@dataclass(frozen=True)
class Decided:
    """When a decision was signed: the day, or only the year a list gives."""

    day: date | None
    year: int | None


def decided_of(value: Any) -> Decided | str | None:
    """A decision date cell: a date, a year alone, None when empty, "several" for a list of
    years ("2021,2022,2023": which certificate is this row?), "bad" otherwise."""
    if isinstance(value, datetime):
        return Decided(value.date(), value.year)
    if isinstance(value, date):
        return Decided(value, value.year)
    if isinstance(value, int | float) and not isinstance(value, bool) and 1990 <= value <= 2100:
        return Decided(None, int(value))
    text = text_of(value)
    if not text:
        return None
    try:
        if m := _DMY.match(text):
            day = date(int(m[3]), int(m[2]), int(m[1]))
            return Decided(day, day.year)
        if m := _ISO.match(text):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return Decided(day, day.year)
    except ValueError:
        return "bad"
    if m := _YEAR.match(text):
        return Decided(None, int(m[1]))
    return "several" if _YEARS.match(unicodedata.normalize("NFC", text)) else "bad"


_DATED = re.compile(r"^(.*?)[\s,;]*(?:ngày|ngay|dated?)\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})\s*$",
                    re.I)


def dated_number(value: Any) -> tuple[str, Decided] | None:
    """A decision cell with its date: "1234/QĐ-UBND ngày 15/11/2023" → the number and the
    day; None when it gives no readable date."""
    found = _DATED.match(unicodedata.normalize("NFC", text_of(value)))
    if not found:
        return None
    day = decided_of(found[2])
    return (found[1].strip(), day) if isinstance(day, Decided) and found[1].strip() else None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def authority_of(value: Any) -> str | None:
    """'province', 'district' or 'ministry' from how a list names who certified; None if
    unreadable; "" when empty."""
    text = loose(text_of(value))
    if not text:
        return ""
    if text in ("tinh", "province") or text.startswith(("ubnd tinh", "tinh ", "cap tinh",
                                                         "ubnd thanh pho", "ubnd tp")):
        return "province"
    if text in ("huyen", "district") or text.startswith(("ubnd huyen", "huyen ", "cap huyen",
                                                          "ubnd thi xa", "ubnd quan")):
        return "district"
    if text in ("bo", "ministry", "trung uong", "cap trung uong") or text.startswith(
        ("bo ", "ministry ", "trung uong ")
    ):
        return "ministry"
    return None


def entity_words(renderer: Renderer, codes: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Each entity type's usual words ("htx", "công ty tnhh"), in both languages."""
    options = []
    for code in codes:
        words: list[str] = []
        for locale in LOCALES:
            typed = renderer.label(locale, f"entity_words.{code}")
            words.extend(word.strip() for word in typed.split(",") if word.strip())
        options.append((code, tuple(words)))
    return options


def entity_prefix(name: str, options: list[tuple[str, tuple[str, ...]]]) -> tuple[str | None, str]:
    """The entity type a producer's name starts with ("HTX …", "Cty TNHH …") and the rest."""
    folded = loose(name)
    best: tuple[int, str] | None = None
    for code, words in options:
        for word in words:
            key = loose(word)
            starts = key and (folded == key or folded.startswith(key + " "))
            if starts and (best is None or len(key) > best[0]):
                best = (len(key), code)
    if best is None:
        return None, folded
    return best[1], folded[best[0]:].strip()


def entity_of(typed: str, options: list[tuple[str, tuple[str, ...]]]) -> str | None:
    """The entity type a "Loại hình" cell names, by its words; None if not exactly one."""
    found = search(typed, options)
    return found[0] if len(found) == 1 else None


def name_key(name: str, options: list[tuple[str, tuple[str, ...]]]) -> str:
    """What two spellings of one producer's name share: "Cty TNHH An Phú" = "TNHH An Phú"."""
    code, rest = entity_prefix(name, options)
    return f"{code or ''}:{rest}"


def province_of(typed: str, provinces: list[Province]) -> tuple[str, str | None] | None:
    """(province code, former province as the list wrote it) for a province cell, or None."""
    bare = without_province_prefix(typed)
    for province in provinces:
        if loose(bare) == loose(province.name) or loose(typed) == loose(province.name):
            return province.code, None
        for former in (*province.former, *province.aliases):
            if loose(bare) == loose(former):
                return province.code, former if former in province.former else None
    options = [(p.code, (p.name, *p.former, *p.aliases)) for p in provinces]
    found = search(bare, options)
    if len(found) != 1:
        return None
    province = next(p for p in provinces if p.code == found[0])
    return province.code, None
