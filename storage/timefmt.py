"""UTC timestamps as the database stores them (ISO 8601 text, seconds, 'Z')."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(moment: datetime) -> str:
    """Format an aware datetime as stored UTC text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the database stores UTC only")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_db(text: str) -> datetime:
    """Parse stored UTC text back into an aware datetime."""
    moment = datetime.fromisoformat(text)  # reads the 'Z'; many times faster than strptime
    if moment.tzinfo is None:
        raise ValueError(f"stored time without its zone: {text!r}")
    return moment.astimezone(UTC)


def from_db_opt(text: str | None) -> datetime | None:
    """Parse stored UTC text, keeping NULL as None."""
    return None if text is None else from_db(text)
