"""Queue a proactive message for a user or a producer, rendered for their language and channel."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from handlers.engine.events import Document
from messages import Format, Renderer
from messages.split import split_rendered
from storage import Store
from storage.models import User
from storage.outbox_models import OutboxMessage

# Channels that show Telegram HTML; every other channel gets plain text.
HTML_CHANNELS = frozenset({"telegram"})
# What one message may hold, in UTF-16 units. Telegram counts its 4 096 that way in the text
# left after reading the HTML; we count the whole HTML, which is never less. Zalo documents
# 2 000 characters (UTF-16 units are never fewer). Longer texts go in several messages.
TEXT_LIMITS = {"telegram": 4096, "zalo": 2000}
# Channels whose outbox transport delivers a file with the text (as its caption). Zalo and
# the terminal get the text alone, which must then say how to get the file.
FILE_CHANNELS = frozenset({"telegram"})

# How long a proactive message stays worth sending, counted from when it may first go: an
# outage is retried through for this long. A reminder passes its event instead (the caller
# gives `event`); a certification or dossier notice matters for a week.
RELEVANCE = {
    "notice": timedelta(days=7),
    "announcement": timedelta(days=3),
    "reminder": timedelta(days=3),
    "progress": timedelta(days=3),
}


def relevant_until(kind: str, not_before: datetime, event: datetime | None = None) -> datetime:
    """When a message of `kind` stops being worth sending: its event, or its kind's window."""
    if event is not None:
        return event
    return not_before + RELEVANCE.get(kind, timedelta(days=7))


def channel_format(channel: str) -> Format:
    """How a channel shows text."""
    return Format.HTML if channel in HTML_CHANNELS else Format.PLAIN


def message_parts(channel: str, rendered: str) -> list[str]:
    """The messages a text rendered for a channel arrives in (one unless it is too long)."""
    limit = TEXT_LIMITS.get(channel)
    if limit is None:  # the terminal shows any length
        return [rendered]
    return split_rendered(rendered, channel_format(channel), limit)


def replies_with_files(channel: str) -> bool:
    """Whether a reply's file reaches the person: sent on Telegram, saved in a folder next
    to the database on the terminal; Zalo's bot API carries no files."""
    return channel in FILE_CHANNELS or channel == "terminal"


def carries_files(channel: str) -> bool:
    """Whether a proactive message on this channel can carry a file."""
    return channel in FILE_CHANNELS


def document_payload(document: Document) -> dict[str, str]:
    """A file as the outbox keeps it: name, type and content (base64), sent as it was queued."""
    return {"filename": document.filename, "mime": document.mime,
            "data_b64": base64.b64encode(document.content).decode("ascii")}


def wants(user: User, kind: str) -> bool:
    """Whether the user accepts this kind of proactive message at all."""
    if not user.active:
        return False
    if kind == "reminder":
        return user.reminders_on
    if kind == "announcement":
        return user.announcements_on
    return True  # notices about the user's own dossier and certificate always go


async def set_wanted(
    store: Store,
    user: User,
    now: datetime,
    *,
    reminders_on: bool | None = None,
    announcements_on: bool | None = None,
) -> None:
    """Turn reminders or announcements on or off; turning off also calls off queued ones."""
    await store.users.set_preferences(
        user.id, reminders_on=reminders_on, announcements_on=announcements_on
    )
    # Rows queued earlier (scheduled, held for the night or by the daily cap) must not go.
    if reminders_on is False:
        await store.outbox.cancel_unsent(user.id, "reminder", now)
    if announcements_on is False:
        await store.outbox.cancel_unsent(user.id, "announcement", now)


async def notify_user(
    store: Store,
    renderer: Renderer,
    user: User,
    template: str,
    context: dict[str, Any],
    *,
    kind: str,
    dedupe_key: str,
    now: datetime,
    not_before: datetime | None = None,
    urgent: bool = False,
    cap_exempt: bool = False,
    broadcast_id: int | None = None,
    about_producer: int | None = None,
    event: datetime | None = None,
    document: Document | None = None,
) -> bool:
    """Render `template` for the user and queue it; False if unwanted or already queued.

    A `document` goes with the text on channels that carry files (`carries_files`) and is
    left out elsewhere.

    `about_producer` names the producer a message to someone else is about, so that deleting
    that producer's data also blanks the message. The row is retried through outages until
    `relevant_until(kind, …, event)`: the event a reminder is about (a deadline, a class
    starting), or the kind's own window.
    """
    if not wants(user, kind):
        return False
    fmt = channel_format(user.channel)
    text = renderer.render(user.locale, template, fmt, **context)
    payload: dict[str, Any] = {"text": text, "format": fmt.value}
    if document is not None and carries_files(user.channel):
        payload["document"] = document_payload(document)
    message = OutboxMessage(
        user_id=user.id,
        channel=user.channel,
        chat_id=user.chat_id,
        kind=kind,
        payload=payload,
        dedupe_key=dedupe_key,
        not_before=not_before or now,
        expires_at=relevant_until(kind, not_before or now, event),
        urgent=urgent,
        # Notices about the user's own dossier or certificate never count against the cap.
        cap_exempt=cap_exempt or kind == "notice",
        broadcast_id=broadcast_id,
        about_producer=about_producer,
    )
    return await store.outbox.enqueue(message, now)


async def notify_producer(
    store: Store,
    renderer: Renderer,
    producer_id: int,
    template: str,
    context: dict[str, Any],
    *,
    kind: str,
    dedupe_key: str,
    now: datetime,
    urgent: bool = False,
    event: datetime | None = None,
) -> bool:
    """Queue a message to the producer's account that receives notifications (one per producer)."""
    users = await store.users.users_of_producer(producer_id)
    # An account on a phone is preferred; the terminal account gets it when it is the only one.
    users.sort(key=lambda u: u.channel == "terminal")
    chosen = await store.linking.notify_target(producer_id)  # picked when accounts were linked
    target = next((u for u in users if u.active and u.id == chosen), None) or next(
        (u for u in users if u.active), None
    )
    if target is None:
        return False
    return await notify_user(
        store,
        renderer,
        target,
        template,
        context,
        kind=kind,
        dedupe_key=dedupe_key,
        now=now,
        urgent=urgent,
        event=event,
    )
