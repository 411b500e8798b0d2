"""Dates and times as people type them, on a table of real inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.common import dates

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 on 01/12/2026 in Vietnam

READABLE = [
    ("15/12/2026", date(2026, 12, 15), None),
    ("15/12", date(2026, 12, 15), None),
    ("15-12-2026 8h30", date(2026, 12, 15), time(8, 30)),
    ("8:30 sáng 15/12", date(2026, 12, 15), time(8, 30)),
    ("8:30 sang 15/12", date(2026, 12, 15), time(8, 30)),
    ("14h 20/12", date(2026, 12, 20), time(14, 0)),
    ("chiều 3/1", date(2027, 1, 3), time(14, 0)),
    ("2 giờ chiều 3/1", date(2027, 1, 3), time(14, 0)),
    ("3/1 lúc 2h chiều", date(2027, 1, 3), time(14, 0)),
    ("7h tối 24/12", date(2026, 12, 24), time(19, 0)),
    ("15.12.2026", date(2026, 12, 15), None),
    ("15/12/26", date(2026, 12, 15), None),
    ("5/1", date(2027, 1, 5), None),
    ("1/12", date(2026, 12, 1), None),
    ("2026-12-15", date(2026, 12, 15), None),
    ("ngày 15 tháng 12 năm 2026", date(2026, 12, 15), None),
    ("Ngày 20/12/2026, 13:30", date(2026, 12, 20), time(13, 30)),
    ("thứ 3, 15/12 lúc 8 giờ 30", date(2026, 12, 15), time(8, 30)),
    ("ngày mai 9h", date(2026, 12, 2), time(9, 0)),
    ("mai", date(2026, 12, 2), None),
    ("hôm nay 16h", date(2026, 12, 1), time(16, 0)),
    ("15 / 12 / 2026", date(2026, 12, 15), None),
    ("8 pm 15/12", date(2026, 12, 15), time(20, 0)),
    ("12h trưa 15/12", date(2026, 12, 15), time(12, 0)),
    ("1h trưa 15/12", date(2026, 12, 15), time(13, 0)),
    ("29/2/2028", date(2028, 2, 29), None),
]

UNREADABLE = [
    "",
    "abc",
    "32/12",
    "15/13/2026",
    "29/2/2027",
    "25h 15/12",
    "8h75 15/12",
    "15/12 xyz",
    "12",
    "8h30",
    "ngày rằm",
    "15/12/2026 15/01",
    "2026-02-30",
]


@pytest.mark.parametrize(("typed", "day", "clock"), READABLE)
def test_readable_inputs(typed: str, day: date, clock: time | None) -> None:
    assert dates.read(typed, NOW, ZONE) == dates.Typed(day=day, clock=clock)


@pytest.mark.parametrize("typed", UNREADABLE)
def test_unreadable_inputs(typed: str) -> None:
    assert dates.read(typed, NOW, ZONE) is None


@pytest.mark.parametrize(
    ("typed", "clock"),
    [
        ("11h30", time(11, 30)),
        ("16:00", time(16, 0)),
        ("4 giờ chiều", time(16, 0)),
        ("chiều", time(14, 0)),
        ("15/12", None),
        ("abc", None),
    ],
)
def test_time_alone(typed: str, clock: time | None) -> None:
    assert dates.read_time(typed) == clock


def test_moment_is_stored_in_utc_from_local_time() -> None:
    found = dates.moment("15/12/2026 8h30", NOW, ZONE, dates.END_OF_DAY)
    assert found == datetime(2026, 12, 15, 1, 30, tzinfo=UTC)
    assert dates.moment("15/12", NOW, ZONE, dates.END_OF_DAY) == datetime(
        2026, 12, 15, 16, 59, tzinfo=UTC
    )
    assert dates.moment("15/12", NOW, ZONE, dates.END_OF_DAY, need_time=True) is None


def test_days_left_counts_calendar_days_in_the_local_zone() -> None:
    deadline = dates.at(date(2026, 12, 6), time(23, 59), ZONE)
    assert dates.days_left(deadline, NOW, ZONE) == 5
    late_evening = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)  # 23:30 local, 01/12
    assert dates.days_left(deadline, late_evening, ZONE) == 5


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("20/11", date(2026, 11, 20)),  # a decision date: the latest 20/11, not next year's
        ("1/12", date(2026, 12, 1)),
        ("15/12", date(2025, 12, 15)),
        ("15/12/2026", date(2026, 12, 15)),  # a written year is kept (and refused as future)
        ("hôm nay", date(2026, 12, 1)),
        ("hôm qua", date(2026, 11, 30)),
    ],
)
def test_past_dates(typed: str, day: date) -> None:
    found = dates.read(typed, NOW, ZONE, past=True)
    assert found is not None and found.day == day
