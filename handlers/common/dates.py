"""Dates and times as people type them ("15/12", "8:30 sáng 15/12", "chiều 3/1"), read in the
bot's time zone relative to an injected `now`."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from messages.text import fold

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_WORDS_DATE = re.compile(r"\b(?:ngay )?(\d{1,2}) (?:thang|thg) (\d{1,2})(?: nam (\d{2,4}))?\b")
_DMY = re.compile(r"(?<![\d:])(\d{1,2}) ?[/.-] ?(\d{1,2})(?: ?[/.-] ?(\d{4}|\d{2}))?(?![\d:])")
_TIME = re.compile(r"(?<![\d/.-])(\d{1,2}) ?(?:gio|h|g|:) ?(\d{2})?(?: ?(?:p|phut)\b)?(?![\d/.-])")
_BARE_HOUR = re.compile(r"\b(\d{1,2})\b")
_WEEKDAY = re.compile(r"\b(?:thu (?:[2-7]|hai|ba|tu|nam|sau|bay)|t[2-7]|chu nhat|cn)\b")
_WEEKDAYS = {"2": 0, "hai": 0, "3": 1, "ba": 1, "4": 2, "tu": 2, "5": 3, "nam": 3, "6": 4,
             "sau": 4, "7": 5, "bay": 5, "chu nhat": 6, "cn": 6}
_NEXT_WEEK = re.compile(r"\btuan (?:sau|toi)\b")
_MONTH_END = re.compile(r"\bcuoi thang\b(?: (\d{1,2})\b(?: (?:nam )?(\d{4})\b)?)?")
_MOT = re.compile(r"\bmốt\b|^\s*mot\s*$")  # "mốt": the day after tomorrow ("một" is one)
_RELATIVE = {"hom nay": 0, "ngay mai": 1, "ngay kia": 2, "mai": 1, "hom qua": -1}
_PERIODS = {
    "sang": time(8),
    "trua": time(12),
    "chieu": time(14),
    "toi": time(19),
    "dem": time(22),
    "am": time(8),
    "pm": time(14),
}
_FILLER = {
    "ngay", "luc", "vao", "hom", "nam", "thang", "gio", "khoang", "tu", "den", "nhe", "la", "nay",
}


@dataclass(frozen=True)
class Typed:
    """A date someone typed, with the time of day if they gave one."""

    day: date
    clock: time | None


def _year(text: str | None, day: int, month: int, today: date, past: bool) -> date | None:
    """The date with its year as written, or else its next occurrence from today (its latest
    one up to today when `past`)."""
    try:
        if text is not None:
            year = int(text) + (2000 if len(text) == 2 else 0)
            return date(year, month, day)
        candidate = date(today.year, month, day)
        if past and candidate > today:
            return date(today.year - 1, month, day)
        if not past and candidate < today:
            return date(today.year + 1, month, day)
        return candidate
    except ValueError:
        return None


def _take_date(text: str, today: date, past: bool) -> tuple[date | None, str, bool]:
    """The date found in `text`, the text without it, and whether a date was written."""
    for pattern in (_ISO, _WORDS_DATE, _DMY):
        match = pattern.search(text)
        if match is None:
            continue
        rest = text[: match.start()] + " " + text[match.end() :]
        if pattern is _ISO:
            try:
                found = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None, rest, True
            return found, rest, True
        return _year(match[3], int(match[1]), int(match[2]), today, past), rest, True
    for word, days in sorted(_RELATIVE.items(), key=lambda item: -len(item[0])):
        match = re.search(rf"\b{word}\b", text)
        if match:
            return (
                today + timedelta(days=days),
                text[: match.start()] + " " + text[match.end() :],
                True,
            )
    return _weekday_or_month_end(text, today, past)


def _weekday_or_month_end(text: str, today: date, past: bool) -> tuple[date | None, str, bool]:
    """"thứ 2 tuần sau", "t6", "chủ nhật": the weekday's next (or, when `past`, latest) day;
    "cuối tháng": the month's last day."""
    if (end := _MONTH_END.search(text)) is not None:
        return _month_end(end, today, past), text[: end.start()] + " " + text[end.end() :], True
    found = _WEEKDAY.search(text)
    if found is None:
        return None, text, False
    word = found[0]
    name = word if word in _WEEKDAYS else word[4:] if word.startswith("thu ") else word[1:]
    rest = text[: found.start()] + " " + text[found.end() :]
    wanted = _WEEKDAYS[name]
    if (week := _NEXT_WEEK.search(rest)) is not None:
        rest = rest[: week.start()] + " " + rest[week.end() :]
        monday = today + timedelta(days=7 - today.weekday())
        return monday + timedelta(days=wanted), rest, True
    ahead = (wanted - today.weekday()) % 7
    if past:
        return today - timedelta(days=(today.weekday() - wanted) % 7 or 7), rest, True
    return today + timedelta(days=ahead or 7), rest, True


def _month_end(found: re.Match[str], today: date, past: bool) -> date | None:
    """"cuối tháng" (this month), "cuối tháng 1" (its next end, or its last when `past`),
    "cuối tháng 1 2027": the month's last day."""
    month = int(found[1]) if found[1] else today.month
    if not 1 <= month <= 12:
        return None
    year = int(found[2]) if found[2] else today.year
    if found[1] and not found[2]:
        ends_after = (month, 1) >= (today.month, 1)
        year = today.year + (0 if ends_after else 1) if not past else today.year - (
            0 if (month, 1) <= (today.month, 1) else 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def _period(text: str) -> tuple[str | None, str]:
    for word in _PERIODS:
        match = re.search(rf"\b{word}\b", text)
        if match:
            return word, text[: match.start()] + " " + text[match.end() :]
    return None, text


def _with_period(hour: int, period: str | None) -> int | None:
    if (
        (period in ("chieu", "toi", "pm") and 1 <= hour < 12)
        or (period == "trua" and 1 <= hour <= 4)
        or (period == "dem" and 7 <= hour < 12)
    ):
        hour += 12
    elif period in ("sang", "am") and hour == 12:
        hour = 0
    return hour if 0 <= hour <= 23 else None


def _take_time(text: str) -> tuple[time | None, str, bool]:
    """The time of day in `text` (with sáng/chiều/tối), the rest, and whether one was written."""
    period, text = _period(text)
    match = _TIME.search(text) or (_BARE_HOUR.search(text) if period else None)
    if match is None:
        return (_PERIODS[period] if period else None), text, period is not None
    rest = text[: match.start()] + " " + text[match.end() :]
    hour = _with_period(int(match[1]), period)
    minute = int(match[2]) if match.re is _TIME and match[2] else 0
    if hour is None or minute > 59:
        return None, rest, True
    return time(hour, minute), rest, True


def _leftover_is_noise(rest: str) -> bool:
    return all(word in _FILLER for word in re.findall(r"\w+", rest))


def read(text: str, now: datetime, zone: ZoneInfo, *, past: bool = False) -> Typed | None:
    """Read a typed date (and time of day); None if it cannot be read for sure. A day typed
    without a year is its next occurrence, or its latest one when `past` (a decision date)."""
    folded = fold(_MOT.sub("ngày kia", text.casefold())).replace(",", " ")
    today = now.astimezone(zone).date()
    day, rest, had_date = _take_date(folded, today, past)
    rest = _NEXT_WEEK.sub(" ", _WEEKDAY.sub(" ", rest))  # "thứ 2, 15/12": the date decides
    if not had_date or day is None:
        return None
    clock, rest, had_time = _take_time(rest)
    if had_time and clock is None:
        return None
    return Typed(day=day, clock=clock) if _leftover_is_noise(rest) else None


def read_time(text: str) -> time | None:
    """Read a typed time of day alone ("11h30", "16:00", "4 giờ chiều")."""
    clock, rest, had_time = _take_time(fold(text))
    return clock if had_time and _leftover_is_noise(rest) else None


def at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A local date and time in `zone`, as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def moment(
    text: str, now: datetime, zone: ZoneInfo, default: time, *, need_time: bool = False
) -> datetime | None:
    """The UTC instant a typed date means (`default` when no time is given); None if unreadable
    or if a time was needed and not given."""
    typed = read(text, now, zone)
    if typed is None or (need_time and typed.clock is None):
        return None
    return at(typed.day, typed.clock or default, zone)


def days_left(deadline: datetime, now: datetime, zone: ZoneInfo) -> int:
    """Whole calendar days from today to the deadline's day, in `zone` (0 = today)."""
    return (deadline.astimezone(zone).date() - now.astimezone(zone).date()).days


END_OF_DAY = time(23, 59)
START_OF_DAY = time(0, 0)
