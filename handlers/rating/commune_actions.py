"""What the commune's step does: forward a checked dossier to the province (its officers and
the producer told), return it to the producer, and the reminders of its working days."""

from __future__ import annotations

from datetime import datetime

from handlers.common.notify import notify_producer, notify_user
from handlers.common.reminders import ReminderContext
from handlers.common.working_days import days_off, working_days_since
from handlers.rating.review import give_back
from messages import Renderer
from storage import Store
from storage.communes import CommuneReview

# Mẫu 03: the commune's assessment of local raw materials, local labour, the origin of the
# idea and local identity.
MAU03 = ("raw_materials", "labour", "idea", "identity")


async def forward(store: Store, renderer: Renderer, review: CommuneReview, actor: str,
                  now: datetime) -> None:
    """Close the commune's check: the province's officers get the dossier, the producer is told."""
    product = await store.products.get(review.product_id)
    producer = await store.users.producer(product.producer_id) if product else None
    if product is None or producer is None:
        return
    await store.communes.decide(review.id, "forwarded", actor, now)
    event = await store.products.add_event(product.id, "commune_forwarded", actor, now,
                                           note=review.commune)
    await store.audit.record(actor, "commune_forwarded", now, subject=f"product:{product.id}",
                             details={"assessment": review.assessment})
    context = {"name": product.name, "id": product.id, "producer": producer.name,
               "commune": producer.commune, "resubmitted": False}
    for officer in await store.users.officers_of(producer.province_code):
        await notify_user(store, renderer, officer, "review/notice_new_dossier", context,
                          kind="notice", dedupe_key=f"review:{product.id}:{event}:officer:"
                          f"{officer.id}", now=now, about_producer=producer.id)
    await notify_producer(store, renderer, product.producer_id, "commune/notice_forwarded",
                          {"name": product.name, "id": product.id, "commune": review.commune},
                          kind="notice", dedupe_key=f"commune:{review.id}:forwarded", now=now)


async def give_back_from_commune(store: Store, renderer: Renderer, review: CommuneReview,
                                 note: str, actor: str, now: datetime) -> None:
    """Close the commune's check by returning the dossier to the producer with the note."""
    product = await store.products.get(review.product_id)
    if product is None:
        return
    await store.communes.decide(review.id, "returned", actor, now)
    await give_back(store, renderer, actor, product, note, now)


async def commune_deadlines(ctx: ReminderContext) -> int:
    """On the reminder day (10th working day) the commune's officers are reminded; on the
    last day (15th) the province's officers are told the dossier is late. Each once."""
    store, zone = ctx.store, ctx.config.zone
    remind = await store.rules.number("commune_reminder_day")
    limit = await store.rules.number("commune_working_days")
    today = ctx.now.astimezone(zone).date()
    queued = 0
    reviews = await store.communes.open_reviews()
    off = await days_off(store, min((r.received_at.astimezone(zone).date() for r in reviews),
                                    default=today), today)
    for review in reviews:
        start = review.received_at.astimezone(zone).date()
        passed = working_days_since(start, today, off)
        product = await store.products.get(review.product_id)
        if product is None or passed < remind:
            continue
        context = {"name": product.name, "id": product.id, "commune": review.commune,
                   "due_on": review.due_on, "passed": passed, "limit": limit}
        if passed < limit:
            people = [u for uid in await store.communes.officer_ids(
                review.province_code, review.commune_key) if (u := await store.users.get(uid))]
            template, point = "commune/reminder", "day_reminder"
        else:
            people = await store.users.officers_of(review.province_code)
            template, point = "commune/late", "late"
        keys = {f"commune:{review.id}:{point}:user:{user.id}": user for user in people}
        for key in await store.reminders.queued_keys(list(keys)):
            del keys[key]  # told already: nothing is rendered again
        for key, user in keys.items():
            queued += await notify_user(store, ctx.renderer, user, template, context,
                                        kind="reminder", dedupe_key=key, now=ctx.now)
    return queued
