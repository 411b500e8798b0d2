"""Read the time an officer types for a scheduled broadcast (local time, 24-hour clock)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.common import dates
from messages.text import fold

_WHEN = re.compile(
    r"^\s*(?:(?P<h1>\d{1,2})\s*[:h.]\s*(?P<m1>\d{2})?\s*(?:ngay|ngày)?\s*"
    r"(?:(?P<d1>\d{1,2})[/-](?P<mo1>\d{1,2})(?:[/-](?P<y1>\d{4}))?)?"
    r"|(?P<d2>\d{1,2})[/-](?P<mo2>\d{1,2})(?:[/-](?P<y2>\d{4}))?\s*(?:luc|lúc)?\s*"
    r"(?P<h2>\d{1,2})\s*[:h.]\s*(?P<m2>\d{2})?)\s*$",
    re.IGNORECASE,
)
MAX_AHEAD = timedelta(days=90)


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """A future moment from "08:30", "8h", "25/12 08:00", "08:00 25/12/2026", or the words
    rounds take ("8h sáng mai", "chiều nay 2h", "14h 20/12"); else None."""
    found = _WHEN.match(text)
    if found is None:
        return _in_words(text, now, zone)
    parts = found.groupdict()
    hour = parts["h1"] or parts["h2"]
    minute = parts["m1"] or parts["m2"] or "0"
    day, month, year = (parts["d1"] or parts["d2"], parts["mo1"] or parts["mo2"],
                        parts["y1"] or parts["y2"])
    local_now = now.astimezone(zone)
    try:
        clock = time(int(hour), int(minute))
        if day is None:
            moment = datetime.combine(local_now.date(), clock, tzinfo=zone)
            if moment <= local_now:
                moment += timedelta(days=1)
        else:
            on = date(int(year) if year else local_now.year, int(month), int(day))
            moment = datetime.combine(on, clock, tzinfo=zone)
            if year is None and moment <= local_now:
                moment = moment.replace(year=moment.year + 1)
    except ValueError:
        return None
    if moment <= local_now or moment - local_now > MAX_AHEAD:
        return None
    return moment


def _in_words(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """A moment read like the dates of rounds: a day (with a time of day) or a time alone."""
    local_now = now.astimezone(zone)
    typed = dates.read(text, now, zone)
    if typed is not None and typed.clock is not None:
        moment = datetime.combine(typed.day, typed.clock, tzinfo=zone)
    elif typed is None and (clock := _today_words(text)) is not None:
        moment = datetime.combine(local_now.date(), clock, tzinfo=zone)
        if moment <= local_now:
            moment += timedelta(days=1)
    else:
        return None
    if moment <= local_now or moment - local_now > MAX_AHEAD:
        return None
    return moment


def _today_words(text: str) -> time | None:
    """A time of day alone, also with "nay" ("2h chiều nay"): today, or tomorrow once past."""
    folded = " ".join(word for word in fold(text).split() if word != "nay")
    return dates.read_time(folded)
