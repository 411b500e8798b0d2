"""The fields of a training as an officer types them: questions, parsing, time rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.common import dates, fields
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Turn
from messages.answers import number
from storage.timefmt import from_db, to_db

AUDIENCES = ("all", "province", "commune", "group")
MAX_CAPACITY = 10_000


async def question(turn: Turn, name: str) -> Reply:
    """The question for one field, with its choices."""
    choices: tuple[Choice, ...] = ()
    if name == "topic":
        topics = await turn.store.trainings.topics()
        choices = tuple(Choice(key=f"tp:{t.code}", text=t.name(turn.locale)) for t in topics)
    elif name == "audience":
        choices = tuple(Choice(key=f"a:{a}", label=f"trainings.audience_{a}") for a in AUDIENCES)
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


def check_times(turn: Turn, values: dict[str, Any]) -> None:
    """Start in the future, end after start, registration deadline in the future, by the start."""
    start, end = values.get("starts_at"), values.get("ends_at")
    deadline = values.get("registration_deadline")
    for name, value in (("starts_at", start), ("registration_deadline", deadline)):
        if value is not None and value <= turn.now:
            raise fields.Invalid(
                Reply(template="trainings/time_refused", context={"field": name, "why": "past"})
            )
    if start is not None and end is not None and end <= start:
        raise fields.Invalid(
            Reply(template="trainings/time_refused", context={"field": "ends_at", "why": "order"})
        )
    if start is not None and deadline is not None and deadline > start:
        raise fields.Invalid(
            Reply(
                template="trainings/time_refused",
                context={"field": "registration_deadline", "why": "order"},
            )
        )


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
        text = turn.text[: turn.config.max_text_length]
        if len(text) < 3:
            raise fields.Invalid(Reply(template="profile/need_text"))
        is_link = text.lower().startswith(("http://", "https://"))
        return {"place": "" if is_link else text, "online_url": text if is_link else ""}
    if name == "capacity":
        digits = (number(turn.text) or turn.text).replace(".", "").replace(" ", "")
        if not digits.isdigit() or not 1 <= int(digits) <= MAX_CAPACITY:
            raise fields.Invalid(
                Reply(
                    template="trainings/capacity_invalid",
                    context={"typed": turn.text, "max": MAX_CAPACITY},
                )
            )
        return {"capacity": int(digits)}
    if name == "audience":
        if turn.choice and turn.choice.startswith("a:"):
            return {"audience": turn.choice_arg, "audience_value": ""}
        raise fields.Invalid(Reply(template="errors/pick_a_choice"))
    if name == "audience_value":
        if turn.data.get("audience") == "group":
            if turn.choice and turn.choice.startswith("g:"):
                return {"audience_value": turn.choice_arg}
            raise fields.Invalid(Reply(template="errors/pick_a_choice"))
        return {"audience_value": fields.clean_name(turn.text, turn.config.max_name_length)}
    raise ValueError(name)
