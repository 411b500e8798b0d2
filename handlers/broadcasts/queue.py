"""A confirmed broadcast's records: who may see it, its outbox rows, its progress message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.common.notify import (
    TEXT_LIMITS,
    channel_format,
    message_parts,
    notify_user,
    relevant_until,
)
from handlers.engine.turn import Turn
from messages import LOCALES, Format, Renderer
from storage import Store
from storage.broadcasts import Broadcast, DeliveryReport
from storage.models import Role, User
from storage.outbox_models import OutboxMessage
from storage.timefmt import to_db


def scope_of(user: User) -> str | None:
    """The province an officer broadcasts to; None means nationwide (an admin without one).
    An officer granted no province gets '' (no province matches it), never the country."""
    return user.officer_province if user.role is Role.ADMIN else (user.officer_province or "")


def can_see(user: User, broadcast: Broadcast) -> bool:
    """Admins see every broadcast; officers those of their province."""
    return user.role is Role.ADMIN or (
        user.officer_province is not None and broadcast.province_code == user.officer_province
    )


def progress_context(broadcast: Broadcast, report: DeliveryReport) -> dict[str, Any]:
    """What the officer's progress message shows."""
    return {
        "broadcast_id": broadcast.id,
        "total": report.total,
        "done": report.done,
        "delivered": report.delivered,
        "blocked": report.blocked,
        "retrying": report.retrying,
        "failed": report.failed,
        "waiting": report.waiting,
        "cancelled": report.cancelled,
        "finished": report.finished,
    }


async def province_name(turn: Turn, code: str | None) -> str | None:
    """The name of a province code (None stays None: nationwide)."""
    if code is None:
        return None
    provinces = {p.code: p.name for p in await turn.store.reference.provinces()}
    return provinces.get(code, code)


async def announcement_context(turn: Turn, text: str, urgent: bool) -> dict[str, Any]:
    """What recipients see around the officer's text (the preview uses the same)."""
    return {"text": text, "office": await province_name(turn, scope_of(turn.user)),
            "urgent": urgent}


def parts_per_channel(renderer: Renderer, context: dict[str, Any]) -> dict[str, int]:
    """In how many messages the announcement arrives on each channel (in its longer language)."""
    return {
        channel: max(
            len(message_parts(channel, renderer.render(
                locale, "broadcast/announcement", channel_format(channel), **context)))
            for locale in LOCALES
        )
        for channel in TEXT_LIMITS
    }


async def queue_broadcast(turn: Turn, not_before: datetime) -> tuple[int, int]:
    """Create the broadcast, its recipients' rows, the progress row and the audit entry."""
    audience = [(str(a), str(b), str(c)) for a, b, c in turn.data.get("filters", [])]
    return await queue_announcement(
        turn.store, turn.renderer, turn.user, turn.now, turn.data["text"], audience,
        urgent=bool(turn.data.get("urgent")), not_before=not_before,
    )


async def queue_announcement(
    store: Store, renderer: Renderer, user: User, now: datetime, text: str,
    audience: list[tuple[str, str, str]], *, urgent: bool, not_before: datetime,
) -> tuple[int, int]:
    """Record a broadcast and queue one outbox row per recipient, in the caller's transaction;
    `audience` holds (filter, value, label) triples. Chat and web console both send this way."""
    broadcast_id = await store.broadcasts.create(
        officer_id=user.id, actor=user.address, province_code=scope_of(user),
        audience=audience, text=text, urgent=urgent, not_before=not_before,
        progress_locale=user.locale, now=now,
    )
    scope = scope_of(user)
    context = await office_context(store, user, text, urgent)
    rendered: dict[tuple[str, Format], str] = {}
    rows = []
    filters = [(item[0], item[1]) for item in audience]
    for person in await store.audience.recipients(scope, filters):
        fmt = channel_format(person.channel)
        if (person.locale, fmt) not in rendered:
            rendered[person.locale, fmt] = renderer.render(
                person.locale, "broadcast/announcement", fmt, **context
            )
        rows.append(OutboxMessage(
            user_id=person.user_id, channel=person.channel, chat_id=person.chat_id,
            kind="announcement", payload={"text": rendered[person.locale, fmt],
                                          "format": fmt.value},
            dedupe_key=f"broadcast:{broadcast_id}:user:{person.user_id}",
            not_before=not_before, urgent=urgent, cap_exempt=urgent, broadcast_id=broadcast_id,
            expires_at=relevant_until("announcement", not_before),
        ))
    if user.channel != "terminal" and user.active:  # first, so that it goes out first
        await _queue_progress(store, renderer, user, now, broadcast_id, not_before, len(rows))
    queued = await store.outbox.enqueue_many(rows, now)
    await store.broadcasts.set_total(broadcast_id, queued)
    await store.audit.record(
        user.address, "broadcast", now, subject=f"broadcast:{broadcast_id}",
        details={"province": scope, "audience": audience, "text": text,
                 "recipients": queued, "urgent": urgent, "not_before": to_db(not_before)},
    )
    return broadcast_id, queued


async def _queue_progress(
    store: Store, renderer: Renderer, user: User, now: datetime, broadcast_id: int,
    not_before: datetime, total: int,
) -> None:
    broadcast = await store.broadcasts.get(broadcast_id)
    assert broadcast is not None
    fmt = channel_format(user.channel)
    report = DeliveryReport(total=total, waiting=total)  # the sender shows fresh counts
    text = renderer.render(user.locale, "broadcast/progress", fmt,
                                **progress_context(broadcast, report))
    await store.outbox.enqueue(OutboxMessage(
        user_id=user.id, channel=user.channel, chat_id=user.chat_id, kind="progress",
        payload={"text": text, "format": fmt.value},
        dedupe_key=f"broadcast:{broadcast_id}:progress", not_before=not_before,
        urgent=True, cap_exempt=True, broadcast_id=broadcast_id,
        expires_at=relevant_until("progress", not_before),
    ), now)
    await store.broadcasts.set_progress_target(broadcast_id, user.channel, user.chat_id)


async def office_context(store: Store, user: User, text: str, urgent: bool) -> dict[str, Any]:
    """What recipients see around the officer's text, read with a store (no turn needed)."""
    scope = scope_of(user)
    names = {p.code: p.name for p in await store.reference.provinces()}
    return {"text": text, "office": names.get(scope, scope) if scope else None,
            "urgent": urgent}


async def send_test_copy(
    store: Store, renderer: Renderer, user: User, now: datetime, text: str, urgent: bool
) -> bool:
    """Queue the announcement to the officer's own chat, as recipients will see it; False when
    their channel cannot be written to later (the terminal)."""
    context = await office_context(store, user, text, urgent)
    queued = await notify_user(
        store, renderer, user, "broadcast/announcement", context,
        kind="notice", dedupe_key=f"broadcast:test:{user.id}:{to_db(now)}",
        now=now, urgent=True, cap_exempt=True,
    )
    await store.audit.record(user.address, "broadcast_test", now, details={"text": text})
    return bool(queued)
