"""Render an Outcome's replies as text for one channel format, numbering choices in order."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.engine.events import Choice, Outcome, Reply
from messages import Format, Renderer


@dataclass(frozen=True)
class Shown:
    """One reply as a channel shows it: text and choice labels (numbered across replies)."""

    reply: Reply
    text: str
    labels: list[tuple[int, Choice, str]]


def label_of(renderer: Renderer, locale: str, choice: Choice) -> str:
    """The text of a choice's label."""
    return (
        choice.text
        if choice.text is not None
        else renderer.label(locale, choice.label, **choice.context)
    )


def present(renderer: Renderer, outcome: Outcome, fmt: Format) -> list[Shown]:
    """Render every reply of an outcome; choices are numbered 1, 2, … across all replies."""
    shown: list[Shown] = []
    number = 0
    for reply in outcome.replies:
        text = renderer.render(outcome.locale, reply.template, fmt, **reply.context)
        labels = []
        for choice in reply.choices:
            number += 1
            labels.append((number, choice, label_of(renderer, outcome.locale, choice)))
        shown.append(Shown(reply=reply, text=text, labels=labels))
    return shown


def numbered_text(item: Shown) -> str:
    """Plain text with the reply's choices as numbered lines (Zalo and the terminal)."""
    if not item.labels:
        return item.text
    lines = [f"{number}. {label}" for number, _, label in item.labels]
    return item.text + "\n\n" + "\n".join(lines)


def split_text(text: str, limit: int) -> list[str]:
    """Split a long text at line boundaries into parts of at most `limit` characters."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single line longer than the limit: cut it hard
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return [part for part in parts if part.strip()]
