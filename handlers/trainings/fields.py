"""The fields of a training as an officer types them: questions, parsing, time rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.common import dates, fields
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Turn
from messages.answers import number
from storage.models import Role, User
from storage.timefmt import from_db, to_db

AUDIENCES = ("all", "province", "commune", "group")
MAX_CAPACITY = 10_000


def audiences_for(user: User) -> tuple[str, ...]:
    """Who a training may be for: every producer of every province only for an admin (an
    officer stays in their province, as with announcements)."""
    return AUDIENCES if user.role is Role.ADMIN else AUDIENCES[1:]


async def question(turn: Turn, name: str) -> Reply:
    """The question for one field, with its choices."""
    choices: tuple[Choice, ...] = ()
    if name == "topic":
        topics = await turn.store.trainings.topics()
        choices = tuple(Choice(key=f"tp:{t.code}", text=t.name(turn.locale)) for t in topics)
    elif name == "audience":
        choices = tuple(Choice(key=f"a:{a}", label=f"trainings.audience_{a}")
                        for a in audiences_for(turn.user))
    elif name == "audience_value" and turn.data.get("audience") == "group":
        groups = await turn.store.catalog.groups()
        choices = tuple(Choice(key=f"g:{g.code}", text=g.name(turn.locale)) for g in groups)
    context = {"field": name, "audience": turn.data.get("audience", "")}
    return Reply(template="trainings/ask_field", context=context, choices=choices)


def _when(turn: Turn, name: str) -> datetime:
    """A typed date and time for a training (the end may be a time alone, on the start's day)."""
    zone = turn.config.zone
    if name == "ends_at" and (clock := dates.read_time(turn.text)) is not None:
        start = from_db(turn.data["starts_at"]).astimezone(zone)
        return dates.at(start.date(), clock, zone)
    value = dates.moment(
        turn.text, turn.now, zone, dates.END_OF_DAY, need_time=name != "registration_deadline"
    )
    if value is None:
        raise fields.Invalid(
            Reply(
                template="trainings/date_unreadable", context={"field": name, "typed": turn.text}
            )
        )
    return value


def time_problem(values: dict[str, Any], now: datetime) -> tuple[str, str] | None:
    """The field and reason (past, order) a training's times are refused for, or None.

    The start and the registration deadline are in the future, the end after the start,
    the deadline by the start.
    """
    start, end = values.get("starts_at"), values.get("ends_at")
    deadline = values.get("registration_deadline")
    for name, value in (("starts_at", start), ("registration_deadline", deadline)):
        if value is not None and value <= now:
            return name, "past"
    if start is not None and end is not None and end <= start:
        return "ends_at", "order"
    if start is not None and deadline is not None and deadline > start:
        return "registration_deadline", "order"
    return None


def check_times(turn: Turn, values: dict[str, Any]) -> None:
    """Refuse times out of order or past (see time_problem) with the chat's answer."""
    problem = time_problem(values, turn.now)
    if problem is not None:
        raise fields.Invalid(
            Reply(template="trainings/time_refused",
                  context={"field": problem[0], "why": problem[1]})
        )


def place_values(text: str, limit: int) -> dict[str, str] | None:
    """A typed place, or an online link (http/https); None when too short to be either."""
    text = text.strip()[:limit]
    if len(text) < 3:
        return None
    is_link = text.lower().startswith(("http://", "https://"))
    return {"place": "" if is_link else text, "online_url": text if is_link else ""}


def seats(text: str) -> int | None:
    """A typed number of seats (1 to MAX_CAPACITY, "1.000" and words allowed), or None."""
    digits = (number(text) or text).replace(".", "").replace(" ", "")
    return int(digits) if digits.isdigit() and 1 <= int(digits) <= MAX_CAPACITY else None


def stored_times(data: dict[str, Any]) -> dict[str, datetime]:
    """The times already answered in a draft, as datetimes."""
    names = ("starts_at", "ends_at", "registration_deadline")
    return {n: from_db(data[n]) for n in names if data.get(n)}


async def parse(turn: Turn, name: str) -> dict[str, Any]:
    """The stored value(s) of one field from this turn's answer; raises Invalid with the reason."""
    if name == "title":
        return {"title": fields.clean_name(turn.text, turn.config.max_name_length)}
    if name == "topic":
        if turn.choice and turn.choice.startswith("tp:"):
            return {"topic": turn.choice_arg}
        raise fields.Invalid(Reply(template="errors/pick_a_choice"))
    if name in ("starts_at", "ends_at", "registration_deadline"):
        value = _when(turn, name)
        check_times(turn, {**stored_times(turn.data), name: value})
        return {name: to_db(value)}
    if name == "place":
        place = place_values(turn.text, turn.config.max_text_length)
        if place is None:
            raise fields.Invalid(Reply(template="profile/need_text"))
        return dict(place)
    if name == "capacity":
        capacity = seats(turn.text)
        if capacity is None:
            raise fields.Invalid(
                Reply(
                    template="trainings/capacity_invalid",
                    context={"typed": turn.text, "max": MAX_CAPACITY},
                )
            )
        return {"capacity": capacity}
    if name == "audience":
        if turn.choice and turn.choice.startswith("a:") and (
                turn.choice_arg in audiences_for(turn.user)):
            return {"audience": turn.choice_arg, "audience_value": ""}
        raise fields.Invalid(Reply(template="errors/pick_a_choice"))
    if name == "audience_value":
        if turn.data.get("audience") == "group":
            if turn.choice and turn.choice.startswith("g:"):
                return {"audience_value": turn.choice_arg}
            raise fields.Invalid(Reply(template="errors/pick_a_choice"))
        return {"audience_value": fields.clean_name(turn.text, turn.config.max_name_length)}
    raise ValueError(name)
