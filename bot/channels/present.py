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
    contact_label: str | None = None  # the text of a "share my phone" button, if asked for


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
        contact = (
            renderer.label(outcome.locale, reply.ask_contact) if reply.ask_contact else None
        )
        shown.append(Shown(reply=reply, text=text, labels=labels, contact_label=contact))
    return shown


def numbered_text(item: Shown) -> str:
    """Plain text with the reply's choices as numbered lines (Zalo and the terminal)."""
    if not item.labels:
        return item.text
    lines = [f"{number}. {label}" for number, _, label in item.labels]
    return item.text + "\n\n" + "\n".join(lines)
