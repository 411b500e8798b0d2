"""Why a value typed on the command line was refused, in the command line's language."""

from __future__ import annotations

from pydantic import ValidationError
from typer._click.exceptions import BadParameter

from bot.cli.say import say

# pydantic's error types, as typer checks a value, and the label saying what was wanted
_WANTED = {
    "int_parsing": "usage.wanted.int",
    "int_from_float": "usage.wanted.int",
    "float_parsing": "usage.wanted.number",
    "bool_parsing": "usage.wanted.yes_no",
    "greater_than_equal": "usage.wanted.at_least",
    "greater_than": "usage.wanted.above",
    "less_than_equal": "usage.wanted.at_most",
    "less_than": "usage.wanted.below",
    "date_parsing": "usage.wanted.date",
    "date_from_datetime_parsing": "usage.wanted.date",
}
_LIMITS = ("ge", "gt", "le", "lt")
_LIBRARY_WORDS = ("is not a valid", "Input should", "Value must")


def reason(error: BadParameter) -> str:
    """What was wrong with the value: from typer's check, or our own command's sentence."""
    cause = error.__cause__
    if isinstance(cause, ValidationError) and cause.errors():
        first = cause.errors()[0]
        typed = str(first.get("input", ""))
        key = _WANTED.get(first["type"])
        if key is None:
            return say("usage.wanted.other", typed=typed)
        limits = first.get("ctx") or {}
        limit = next((limits[name] for name in _LIMITS if name in limits), "")
        return say(key, typed=typed, limit=limit)
    if any(words in error.message for words in _LIBRARY_WORDS):
        return say("usage.wanted.other", typed="")
    return error.message  # a command's own check, already in the command line's language
