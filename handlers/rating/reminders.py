"""Remind a producer 90 and 30 days (settings) before their certificate expires."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.common.dates import END_OF_DAY
from handlers.common.notify import notify_producer
from handlers.common.reminders import ReminderContext
from handlers.rating.rules import local_today


async def certificate_expiry(ctx: ReminderContext) -> int:
    """Queue the reminder of the nearest notice point each certificate has reached (once)."""
    today = local_today(ctx.now, ctx.config)
    points = sorted(ctx.config.expiry_notice_days)
    if not points:
        return 0
    queued = 0
    for cert in await ctx.store.certifications.expiring_between(
        today, today + timedelta(days=points[-1])
    ):
        assert cert.expires_on is not None
        left = (cert.expires_on - today).days
        point = next(p for p in points if left <= p)  # a missed 90-day point yields to 30
        product = await ctx.store.products.get(cert.product_id)
        if product is None:
            continue
        context = {
            "name": product.name,
            "number": cert.certificate_number or "",
            "stars": cert.stars,
            "expires_on": cert.expires_on,
            "days": left,
        }
        if await notify_producer(
            ctx.store,
            ctx.renderer,
            product.producer_id,
            "products/expiry_reminder",
            context,
            kind="reminder",
            dedupe_key=f"cert:{cert.id}:expiry:{point}d",
            now=ctx.now,
            # worth sending until the certificate lapses
            event=datetime.combine(cert.expires_on, END_OF_DAY, tzinfo=ctx.config.zone),
        ):
            queued += 1
    return queued
