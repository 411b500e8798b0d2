"""What a typed message was taken for."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.engine.events import Reply


@dataclass(frozen=True)
class Reading:
    """What a typed message was taken for (at most one of the fields is set)."""

    choice: str | None = None  # an offered choice's key
    command: str | None = None  # a global command's name
    home: bool = False  # back to the main menu
    answer: bool = False  # the step's own answer
    greeting: bool = False
    asked: tuple[Reply, ...] = ()  # the bot asks which was meant (then the question again)
    question: tuple[Reply, ...] = ()  # the bot asks which was meant, offering the readings
    leave: bool = False  # the person leaves the step for later ("thôi", "để mai")
    keep_typed: bool = False  # the question may end with the typed text taken as the answer
