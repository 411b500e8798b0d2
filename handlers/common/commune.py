"""Where a dossier goes when it is sent: to its commune's officer (UBND xã/phường) for the
commune's check, or, where the commune has no officer on the bot, to the province's officers,
who do the commune's step themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.common.notify import notify_user
from handlers.common.working_days import due_on
from messages import Renderer
from storage import Store
from storage.models import Producer
from storage.places import place_key
from storage.product_models import Product


def commune_key(text: str) -> str:
    """A commune's name as matched: no diacritics, case or "xã"/"phường" prefix
    ("Xã Cầu Kè", "xa cau ke", "cầu kè" agree)."""
    return place_key(text)


@dataclass(frozen=True)
class AtCommune:
    """A dossier now at its commune: which, and the last day of its check."""

    review_id: int
    commune: str
    due_on: date


async def route_to_commune(store: Store, renderer: Renderer, product: Product,
                           producer: Producer, event: int, now: datetime,
                           zone: ZoneInfo) -> AtCommune | None:
    """Open the commune's check and tell its officers, if the commune has any on the bot."""
    key = commune_key(producer.commune)
    officers = await store.communes.officer_ids(producer.province_code, key) if key else []
    if not officers:
        return None
    days = await store.rules.number("commune_working_days")
    due = await due_on(store, now.astimezone(zone).date(), days)
    review = await store.communes.open_review(
        product.id, producer.province_code, producer.commune, key, now, due)
    context = {"name": product.name, "id": product.id, "producer": producer.name,
               "commune": producer.commune, "due_on": due, "days": days}
    for user_id in officers:
        user = await store.users.get(user_id)
        if user is not None:
            await notify_user(store, renderer, user, "commune/notice_new_dossier", context,
                              kind="notice", dedupe_key=f"commune:{review}:{event}:{user_id}",
                              now=now, about_producer=producer.id)
    return AtCommune(review, producer.commune, due)
