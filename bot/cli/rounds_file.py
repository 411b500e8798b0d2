"""Reading rounds and trainings from a spreadsheet: each row checked, with reasons when refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli.say import say
from bot.cli.sheet_read import Unreadable, xlsx_rows
from handlers.common import dates
from handlers.rounds.common import DEFAULT_TIMES, KIND_CHOICES, order_problem
from messages.text import fold, search
from storage import Store
from storage.round_models import DATE_FIELDS, KINDS, NewRound
from storage.training_models import NewTraining

# Header words (folded) for each column; Vietnamese or English headers are accepted.
ROUND_COLUMNS = {
    "name": ("ten dot", "ten", "name", "round"),
    "province": ("tinh", "tinh/thanh", "province"),
    "kinds": ("loai ho so", "nhan ho so", "kinds", "applications"),
    "registration_opens_at": ("mo dang ky", "ngay mo dang ky", "registration opens", "opens"),
    "registration_deadline": ("han dang ky", "registration deadline"),
    "dossier_deadline": ("han nop ho so", "dossier deadline"),
    "council_at": ("hoi dong", "ngay hop hoi dong", "council", "council date"),
    "results_at": ("ket qua", "ngay ket qua", "results", "results date"),
    "note": ("ghi chu", "note"),
}
TRAINING_COLUMNS = {
    "title": ("ten lop", "ten", "title"),
    "topic": ("chu de", "topic"),
    "province": ("tinh", "tinh/thanh", "province"),
    "starts_at": ("bat dau", "start", "starts"),
    "ends_at": ("ket thuc", "end", "ends"),
    "place": ("dia diem", "place"),
    "online_url": ("link", "duong dan", "online link", "online"),
    "capacity": ("so cho", "capacity", "seats"),
    "audience": ("doi tuong", "danh cho", "audience"),
    "audience_value": ("xa/nhom", "xa/phuong hoac nhom", "audience value"),
    "registration_deadline": ("han dang ky", "registration deadline"),
}
KIND_WORDS = {"lan dau": "first", "danh gia lai": "rerating", "nang hang": "upgrade",
              "first": "first", "rerating": "rerating", "re-rating": "rerating",
              "upgrade": "upgrade"}
AUDIENCE_WORDS = {"tat ca": "all", "all": "all", "tinh": "province", "province": "province",
                  "xa": "commune", "commune": "commune", "nhom": "group", "group": "group"}


def column_name(key: str) -> str:
    """A column as the template's header names it, in the command line's language."""
    try:
        return say(f"sheet.column.{key}")
    except KeyError:
        return key


class FileProblem(Exception):
    """The file cannot be read as a sheet with the expected headers."""


@dataclass
class Checked:
    """The rows of a file: those that can be imported, and those refused with reasons."""

    good: list[tuple[int, Any]] = field(default_factory=list)
    refused: list[tuple[int, list[str]]] = field(default_factory=list)


def read_sheet(
    path: Path, columns: dict[str, tuple[str, ...]]
) -> list[tuple[int, dict[str, Any]]]:
    """Rows of the first sheet as {column: value}, keyed by the header row; blank rows skipped.
    FileProblem if unusable, TooLarge past the limits of bot.sheet_read."""
    try:
        rows = xlsx_rows(path)
    except Unreadable as error:
        raise FileProblem(str(error)) from error
    if not rows:
        raise FileProblem(say("sheet.empty", file=path.name))
    wanted = {word: name for name, words in columns.items() for word in words}
    header = [wanted.get(fold(str(cell or ""))) for cell in rows[0]]
    required = [n for n in columns if n not in ("note", "kinds", "place", "online_url",
                                               "audience", "audience_value")]
    missing = [n for n in required if n not in header]
    if missing:
        raise FileProblem(say("sheet.missing_columns",
                                  columns=", ".join(column_name(n) for n in missing)))
    found = []
    for number, row in enumerate(rows[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        found.append((number, {name: cell for name, cell in zip(header, row, strict=False)
                               if name is not None}))
    return found


def _when(value: Any, now: datetime, zone: ZoneInfo, default: time) -> datetime | None:
    """A cell as a UTC instant: Excel dates are local wall-clock times; text is parsed."""
    if isinstance(value, datetime):
        local = value.replace(tzinfo=None)
        clock = local.time() if local.time() != time(0) else default
        return dates.at(local.date(), clock, zone)
    if isinstance(value, date):
        return dates.at(value, default, zone)
    if value is None or not str(value).strip():
        return None
    return dates.moment(str(value), now, zone, default)


async def _province(store: Store, value: Any) -> str | None:
    provinces = await store.reference.provinces()
    found = search(str(value or ""), [(p.code, (p.name, p.code, *p.former)) for p in provinces])
    return found[0] if len(found) == 1 else None


def _kinds(value: Any) -> tuple[str, ...] | None:
    text = fold(str(value or ""))
    if not text or text in ("all", "tat ca"):
        return KINDS
    if text in KIND_CHOICES:
        return KIND_CHOICES[text]
    kinds = [KIND_WORDS.get(part.strip()) for part in text.replace(";", ",").split(",")]
    return tuple(k for k in kinds if k) if all(kinds) else None


async def check_rounds(
    store: Store, rows: list[tuple[int, dict[str, Any]]], now: datetime, zone: ZoneInfo
) -> Checked:
    """Each row as a NewRound, or the reasons it is refused."""
    checked = Checked()
    seen: set[tuple[str, str]] = set()
    for number, row in rows:
        reasons: list[str] = []
        name = str(row.get("name") or "").strip()
        province = await _province(store, row.get("province"))
        kinds = _kinds(row.get("kinds"))
        if not name:
            reasons.append(say("sheet.no_name"))
        if province is None:
            reasons.append(say("sheet.unknown_province", value=row.get("province") or ""))
        if kinds is None:
            reasons.append(say("sheet.unknown_kinds", value=row.get("kinds") or ""))
        values: dict[str, datetime] = {}
        for column in DATE_FIELDS:
            value = _when(row.get(column), now, zone, DEFAULT_TIMES[column])
            if value is None:
                reasons.append(say("sheet.unreadable", column=column_name(column),
                                   value=row.get(column) or ""))
            else:
                values[column] = value
        if len(values) == len(DATE_FIELDS) and (problem := order_problem(values, now, zone)):
            column, why = problem
            reasons.append(say("sheet.past" if why == "past" else "sheet.order",
                               column=column_name(column)))
        if province and name:
            if (province, name) in seen or await store.rounds.exists(province, name):
                reasons.append(say("sheet.round_exists", province=province, name=name))
            seen.add((province, name))
        if reasons:
            checked.refused.append((number, reasons))
            continue
        assert province is not None and kinds is not None
        checked.good.append((number, NewRound(
            name=name, province_code=province, kinds=kinds,
            note=str(row.get("note") or "").strip(), **values)))
    return checked


async def check_trainings(
    store: Store, rows: list[tuple[int, dict[str, Any]]], now: datetime, zone: ZoneInfo
) -> Checked:
    """Each row as a NewTraining, or the reasons it is refused."""
    checked = Checked()
    topics = await store.trainings.topics()
    seen: set[tuple[str, str, datetime]] = set()  # a file imported again makes no duplicates
    options = [(t.code, (t.code, t.name_vi, t.name_en)) for t in topics]
    for number, row in rows:
        reasons: list[str] = []
        title = str(row.get("title") or "").strip()
        found = search(str(row.get("topic") or ""), options)
        province = await _province(store, row.get("province"))
        start = _when(row.get("starts_at"), now, zone, time(8, 0))
        end = _when(row.get("ends_at"), now, zone, time(17, 0))
        deadline = _when(row.get("registration_deadline"), now, zone, dates.END_OF_DAY)
        place = str(row.get("place") or "").strip()
        link = str(row.get("online_url") or "").strip()
        audience = AUDIENCE_WORDS.get(fold(str(row.get("audience") or "tinh")))
        audience_value = str(row.get("audience_value") or "").strip()
        capacity = str(row.get("capacity") or "").strip().removesuffix(".0")
        if not title:
            reasons.append(say("sheet.no_title"))
        if len(found) != 1:
            reasons.append(say("sheet.unknown_topic", value=row.get("topic") or ""))
        if province is None:
            reasons.append(say("sheet.unknown_province", value=row.get("province") or ""))
        if start is None or end is None or deadline is None:
            reasons.append(say("sheet.dates"))
        elif start <= now or deadline <= now:
            reasons.append(say("sheet.training_past"))
        elif end <= start or deadline > start:
            reasons.append(say("sheet.training_order"))
        if not place and not link.startswith(("http://", "https://")):
            reasons.append(say("sheet.place"))
        if not capacity.isdigit() or int(capacity) < 1:
            reasons.append(say("sheet.capacity", value=row.get("capacity") or ""))
        if audience is None or (audience in ("commune", "group") and not audience_value):
            reasons.append(say("sheet.audience", value=row.get("audience") or ""))
        if province and title and start:
            key = (province, title, start)
            if key in seen or await store.trainings.exists(province, title, start):
                reasons.append(say("sheet.training_exists", province=province, title=title))
            seen.add(key)
        if reasons:
            checked.refused.append((number, reasons))
            continue
        assert province and start and end and deadline and audience
        checked.good.append((number, NewTraining(
            title=title, topic_code=found[0], province_code=province, starts_at=start,
            ends_at=end, place=place, online_url=link, capacity=int(capacity),
            audience=audience, audience_value=audience_value, registration_deadline=deadline)))
    return checked
