"""What the training flows share: a training as a template context, who it is for, files."""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from handlers.common.access import owned_item
from handlers.common.notify import notify_user
from handlers.engine.events import Document
from handlers.engine.turn import Turn
from messages import Renderer
from messages.render import phone_display
from messages.sheets import append_row, new_sheet
from storage import Store
from storage.bundled import bundled
from storage.models import Producer
from storage.places import place_key
from storage.timefmt import to_db
from storage.training_models import Attendee, Training

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ATTENDANCE_COLUMNS = ("contact_person", "organisation", "phone", "commune", "province", "status")


async def training_context(store: Store, training: Training, locale: str) -> dict[str, Any]:
    """A training as templates read it."""
    topic = await store.trainings.topic(training.topic_code)
    audience_value = training.audience_value
    if training.audience == "group" and (group := await store.catalog.group(audience_value)):
        audience_value = group.name(locale)
    return {
        "id": training.id,
        "title": training.title,
        "topic": topic.name(locale) if topic else training.topic_code,
        "starts_at": training.starts_at,
        "ends_at": training.ends_at,
        "place": training.place,
        "online_url": training.online_url,
        "capacity": training.capacity,
        "enrolled": training.enrolled,
        "waiting": training.waiting,
        "seats_left": training.seats_left,
        "audience": training.audience,
        "audience_value": audience_value,
        "registration_deadline": training.registration_deadline,
        "status": training.status,
    }


def same_commune(typed: str, commune: str) -> bool:
    """Whether a commune typed for a training's audience names the producer's commune, with
    or without diacritics or the "Xã"/"Phường" prefix ("Tân Phú" = "Xã Tân Phú")."""
    return place_key(typed) == place_key(commune)


def meant_for(training: Training, producer: Producer, groups: set[str]) -> bool:
    """Whether a training's audience includes this producer."""
    if training.audience == "all":
        return True
    if training.province_code != producer.province_code:
        return False
    if training.audience == "commune":
        return same_commune(training.audience_value, producer.commune)
    if training.audience == "group":
        return training.audience_value in groups
    return True


def calendar_file(training: Training, zone: ZoneInfo, where: str) -> Document:
    """An .ics calendar entry for the training, in the bot's time zone."""
    import icalendar  # a heavy import, only when a calendar file is written

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tro ly OCOP//ocop-bot//VI")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"training-{training.id}@ocop-bot")
    event.add("summary", training.title)
    event.add("dtstart", training.starts_at.astimezone(zone))
    event.add("dtend", training.ends_at.astimezone(zone))
    event.add("dtstamp", training.starts_at)
    if where:
        event.add("location", where)
    if training.online_url:
        event.add("url", training.online_url)
    cal.add_component(event)
    cal.add_missing_timezones()
    return Document(
        filename=f"taphuan-{training.id}.ics", content=cal.to_ical(), mime="text/calendar"
    )


def attendance_file(
    renderer: Renderer, locale: str, training: Training, people: list[Attendee]
) -> Document:
    """The list of participants as a spreadsheet: names, organisation, phone, commune, province
    (by name)."""
    names = _province_names()

    header = [renderer.label(locale, f"trainings.col_{c}") for c in ATTENDANCE_COLUMNS]
    book, sheet = new_sheet(renderer.label(locale, "trainings.sheet"), header)
    for person in people:
        append_row(
            sheet,
            [
                person.contact_person,
                person.organisation,
                phone_display(person.phone) if person.phone else "",
                person.commune,
                names.get(person.province_code or "", person.province_code or ""),
                renderer.label(locale, f"trainings.status_{person.status}"),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return Document(filename=f"danh-sach-hoc-vien-{training.id}.xlsx", content=buffer.getvalue(),
                    mime=XLSX)


@cache
def _province_names() -> dict[str, str]:
    """Province names by code, from the reference data shipped with the bot."""
    return {p["code"]: p["name"] for p in bundled("provinces.json")}


async def notify_people(
    store: Store,
    renderer: Renderer,
    training: Training,
    template: str,
    event: str,
    now: datetime,
    *,
    statuses: tuple[str, ...] = ("enrolled", "waiting"),
    extra: dict[str, Any] | None = None,
) -> int:
    """Queue a notice about a training to the people enrolled (and waiting)."""
    sent = 0
    for user_id in await store.trainings.people(training.id, statuses):
        user = await store.users.get(user_id)
        if user is None:
            continue
        context = {
            "training": await training_context(store, training, user.locale),
            **(extra or {}),
        }
        key = f"training:{training.id}:{event}:{to_db(now)}:user:{user_id}"
        sent += await notify_user(
            store, renderer, user, template, context, kind="notice", dedupe_key=key, now=now,
            event=max(training.starts_at, now),  # news about a class until it (was to) start
        )
    return sent


async def promote_and_tell(
    store: Store, renderer: Renderer, training_id: int, now: datetime
) -> list[int]:
    """Give freed seats to the first people waiting, and tell each of them."""
    promoted = await store.trainings.promote_waiting(training_id, now)
    training = await store.trainings.get(training_id)
    for user_id in promoted:
        user = await store.users.get(user_id)
        if user is None or training is None:
            continue
        context = {"training": await training_context(store, training, user.locale)}
        key = f"training:{training_id}:promoted:{to_db(now)}:user:{user_id}"
        await notify_user(
            store,
            renderer,
            user,
            "trainings/promoted",
            context,
            kind="notice",
            dedupe_key=key,
            now=now,
            event=training.starts_at,  # a seat is news until the class starts
        )
    return promoted


async def owned_training(turn: Turn, training_id: object) -> Training | None:
    """The training if it is still active and this officer may manage it."""
    return await owned_item(turn, training_id, turn.store.trainings.get)
