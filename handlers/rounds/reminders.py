"""Reminders before round deadlines: registration (products not entered) and dossier (gaps)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from handlers.common import dates
from handlers.common.notify import notify_producer
from handlers.common.reminders import ReminderContext, windows
from handlers.rounds.common import round_context
from storage import Store
from storage.round_models import Round

# What a product's dossier still lacks: item names in the locale, [] when complete.
GapFinder = Callable[[Store, int, str], Awaitable[list[str]]]


async def dossier_gaps(store: Store, product_id: int, locale: str) -> list[str]:
    """The checklist items (products issue: catalog items and marks) a product has not marked."""
    product = await store.products.get(product_id)
    if product is None:
        return []
    items = await store.catalog.dossier_items(product.group_code)
    marks = await store.products.marks(product_id)
    return [item.name(locale) for item in items if item.code not in marks and not item.optional]


# The hook the dossier reminder asks; replace or extend it if the checklist moves.
GAP_FINDER: list[GapFinder] = [dossier_gaps]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M")


async def _due(ctx: ReminderContext, field: str) -> list[tuple[int, Round]]:
    found = []
    for days, nearest, farthest in windows(ctx.config.round_reminder_days, timedelta(days=1)):
        for rnd in await ctx.store.rounds.with_deadline_between(
            field, ctx.now + nearest, ctx.now + farthest
        ):
            found.append((days, rnd))
    return found


async def registration_deadline(ctx: ReminderContext) -> int:
    """Remind producers with a draft or submitted product not entered, before registration ends."""
    queued = 0
    for days, rnd in await _due(ctx, "registration_deadline"):
        left = dates.days_left(rnd.registration_deadline, ctx.now, ctx.config.zone)
        context = {"round": round_context(rnd, ctx.now, ctx.config.zone), "days": left}
        prefix = f"round:{rnd.id}:registration:{_stamp(rnd.registration_deadline)}:{days}d:"
        done = await ctx.store.rounds.queued_keys(prefix)  # skip rendering what is queued
        for producer_id in await ctx.store.rounds.producers_not_entered(rnd):
            key = f"{prefix}producer:{producer_id}"
            if key in done:
                continue
            queued += await notify_producer(
                ctx.store,
                ctx.renderer,
                producer_id,
                "rounds/remind_registration",
                context,
                kind="reminder",
                dedupe_key=key,
                now=ctx.now,
                event=rnd.registration_deadline,  # worth sending until the deadline
            )
    return queued


async def dossier_deadline(ctx: ReminderContext) -> int:
    """Remind producers whose entered product's dossier checklist is incomplete."""
    queued = 0
    for days, rnd in await _due(ctx, "dossier_deadline"):
        prefix = f"round:{rnd.id}:dossier:{_stamp(rnd.dossier_deadline)}:{days}d:"
        done = await ctx.store.rounds.queued_keys(prefix)
        for entry in await ctx.store.rounds.entries(rnd.id):
            key = f"{prefix}product:{entry.product_id}"
            if key in done:
                continue
            users = await ctx.store.users.users_of_producer(entry.producer_id)
            locale = users[0].locale if users else "vi"
            missing: list[str] = []
            for finder in GAP_FINDER:
                missing.extend(await finder(ctx.store, entry.product_id, locale))
            if not missing:
                continue
            context = {
                "round": round_context(rnd, ctx.now, ctx.config.zone),
                "days": dates.days_left(rnd.dossier_deadline, ctx.now, ctx.config.zone),
                "product": entry.product_name,
                "missing": missing,
            }
            queued += await notify_producer(
                ctx.store,
                ctx.renderer,
                entry.producer_id,
                "rounds/remind_dossier",
                context,
                kind="reminder",
                dedupe_key=key,
                now=ctx.now,
                event=rnd.dossier_deadline,
            )
    return queued
