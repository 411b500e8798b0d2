"""Render an Outcome's replies as messages for one channel format, numbering choices in order.

A short note before a question (the step counter, "cancelled", an error) goes out in the
question's message rather than as a message of its own, when the two fit one message.
"""

from __future__ import annotations

from collections.abc import Callable
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


def present(
    renderer: Renderer, outcome: Outcome, fmt: Format, fits: Callable[[Shown], bool] | None = None
) -> list[Shown]:
    """Render every reply of an outcome; choices are numbered 1, 2, … across all replies.

    With `fits` (whether a message fits one message of the channel), notes are joined to the
    reply after them where the joined message fits; without it, one item per reply.
    """
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
    return shown if fits is None else joined(shown, fits)


def leads_in(reply: Reply) -> bool:
    """Whether a reply may open the next one's message: text only, and not shown on its own."""
    return not (
        reply.choices or reply.photo or reply.document or reply.chart or reply.ask_contact
        or reply.alone
    )


def joined(items: list[Shown], fits: Callable[[Shown], bool]) -> list[Shown]:
    """Each run of notes joined to the reply after them, in order, where the message fits.

    The joined message carries the last reply (its choices, keyboard, document); a reply with
    a photo or shown on its own is never joined to, so nothing changes place around it.
    """
    messages: list[Shown] = []
    for item in items:
        after_note = messages and leads_in(messages[-1].reply)
        if after_note and not (item.reply.photo or item.reply.chart or item.reply.alone):
            text = "\n\n".join(part for part in (messages[-1].text, item.text) if part.strip())
            together = Shown(
                reply=item.reply, text=text, labels=item.labels,
                contact_label=item.contact_label,
            )
            if fits(together):
                messages[-1] = together
                continue
        messages.append(item)
    return messages


def numbered_text(item: Shown, hint: str | None = None) -> str:
    """Plain text with the reply's choices as numbered lines (Zalo and the terminal), and
    `hint` (how to pick: type the number) as the list's last line."""
    if not item.labels:
        return item.text
    lines = [f"{number}. {label}" for number, _, label in item.labels]
    return item.text + "\n\n" + "\n".join(lines) + (f"\n{hint}" if hint else "")


def type_hint(renderer: Renderer, locale: str, item: Shown) -> str | None:
    """The line that ends a numbered list: which numbers to type (none when the text already
    says to type a number)."""
    if not item.labels or renderer.label(locale, "numbered.marker") in item.text.casefold():
        return None
    first, last = item.labels[0][0], item.labels[-1][0]
    return renderer.label(locale, "pressed.type_number", first=first, last=last)
