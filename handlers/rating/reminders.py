"""Re-rating notices: the window opens (180 days before expiry), closes in 2 weeks, its last day
(120 days before), and after expiry what the grace period means. Each once per certificate."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.common.dates import END_OF_DAY
from handlers.common.notify import notify_producer
from handlers.common.reminders import ReminderContext
from handlers.common.rules import decision_in_force
from handlers.rating.rules import local_today
from storage.product_models import DOSSIER_OPEN, ProductStatus

# A re-rating dossier already on its way: no more notices about this certificate.
RERATING_UNDER_WAY = DOSSIER_OPEN | {ProductStatus.ACCEPTED, ProductStatus.RATED}


def stage_of(left: int, opens: int, closes: int, remind: int, grace: int) -> str | None:
    """Which notice a certificate `left` days from expiry is due (None: none is)."""
    if closes + remind < left <= opens:
        return "open"
    if closes < left <= closes + remind:
        return "closing"
    if 0 <= left <= closes:  # the last day; or later, when the bot first sees the certificate
        return "last"
    if -grace <= left < 0:
        return "expired"
    return None


async def certificate_rerating(ctx: ReminderContext) -> int:
    """Queue the re-rating notice each current certificate has reached (once each)."""
    rules = ctx.store.rules
    opens, closes = await rules.number("rerating_opens_days"), await rules.number(
        "rerating_closes_days")
    remind, grace = await rules.number("rerating_reminder_days"), await rules.number(
        "rerating_grace_days")
    today = local_today(ctx.now, ctx.config)
    decision = await decision_in_force(ctx.store)
    queued = 0
    due = {}  # one pass a minute: only what is due and not queued yet is looked at further
    for cert in await ctx.store.certifications.expiring_between(
        today - timedelta(days=grace), today + timedelta(days=opens), reachable=True
    ):
        assert cert.expires_on is not None
        stage = stage_of((cert.expires_on - today).days, opens, closes, remind, grace)
        if stage is not None:
            due[f"cert:{cert.id}:rerating:{stage}"] = (cert, stage)
    for key in await ctx.store.reminders.queued_keys(list(due)):
        del due[key]
    for key, (cert, stage) in due.items():
        assert cert.expires_on is not None
        product = await ctx.store.products.get(cert.product_id)
        if product is None:
            continue
        if product.application == "rerating" and product.status in RERATING_UNDER_WAY:
            continue
        context = {
            "stage": stage, "late": (cert.expires_on - today).days < closes,
            "decision": decision, "id": product.id, "name": product.name,
            "number": cert.certificate_number or "", "stars": cert.stars,
            "expires_on": cert.expires_on,
            "opens_on": cert.expires_on - timedelta(days=opens),
            "closes_on": cert.expires_on - timedelta(days=closes),
            "grace_until": cert.expires_on + timedelta(days=grace),
        }
        if await notify_producer(
            ctx.store, ctx.renderer, product.producer_id, "products/rerating_notice", context,
            kind="reminder", dedupe_key=key, now=ctx.now,
            event=_until(stage, context, ctx.config.zone),
        ):
            queued += 1
    return queued


def _until(stage: str, context: dict[str, object], zone: ZoneInfo) -> datetime:
    """A notice is worth sending until the day it speaks of has passed."""
    key = {"open": "closes_on", "closing": "closes_on", "last": "expires_on"}.get(
        stage, "grace_until")
    day = context[key]
    assert isinstance(day, date)
    return datetime.combine(day, END_OF_DAY, tzinfo=zone)
