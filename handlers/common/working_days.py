"""Working days: weekends and public holidays skipped (Vietnam's, from the `holidays` package,
and the days off an officer added as data)."""

from __future__ import annotations

from datetime import date, timedelta

from storage import Store

SATURDAY = 5


async def days_off(store: Store, first: date, last: date) -> set[date]:
    """Public holidays of Vietnam and the added days off between two dates (inclusive)."""
    import holidays  # a heavy import: loaded when a due date is first counted

    public = holidays.country_holidays("VN", years=range(first.year, last.year + 1))
    extra = await store.communes.days_off()
    return {d for d in (*public.keys(), *extra) if first <= d <= last}


def is_working(day: date, off: set[date]) -> bool:
    """Monday to Friday, not a day off."""
    return day.weekday() < SATURDAY and day not in off


def nth_working_day(start: date, n: int, off: set[date]) -> date:
    """The n-th working day after `start` (the day of receipt itself is not counted)."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        counted += is_working(day, off)
    return day


def working_days_since(start: date, today: date, off: set[date]) -> int:
    """How many working days have passed since `start`, `today` included."""
    return sum(is_working(start + timedelta(days=i), off)
               for i in range(1, (today - start).days + 1))


async def due_on(store: Store, start: date, n: int) -> date:
    """The n-th working day after `start`, with the days off looked up."""
    off = await days_off(store, start, start + timedelta(days=3 * n + 30))
    return nth_working_day(start, n, off)


async def days_left(store: Store, due: date, today: date) -> int:
    """Working days left until `due` (0 on the day itself and after it)."""
    if today >= due:
        return 0
    return working_days_since(today, due, await days_off(store, today, due))
