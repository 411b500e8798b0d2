"""On the 1st of each month, the figures go to the officers of provinces that asked for them:
on Telegram with the Excel report attached, elsewhere as text saying how to get the file."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.common.notify import carries_files, notify_user, wants
from handlers.engine.events import Document
from handlers.engine.feature import ReminderContext
from handlers.figures.common import place_name, summary_context, summary_of
from storage.figure_models import Scope

CATCH_UP_DAYS = 3  # a report missed while the bot was down still goes on the 2nd or 3rd
RELEVANT_FOR = timedelta(days=7)


def dedupe_key(month: str, province: str, user_id: int) -> str:
    """One monthly message per officer, province and month."""
    return f"figures:monthly:{month}:{province}:user:{user_id}"


async def monthly_figures(ctx: ReminderContext) -> int:
    """Queue this month's figures for the officers of each scheduled province (once)."""
    local = ctx.now.astimezone(ctx.config.zone)
    if local.day > CATCH_UP_DAYS:
        return 0
    month = f"{local:%m/%Y}"
    key_month = f"{local:%Y-%m}"
    provinces = await ctx.store.targets.scheduled()
    if not provinces:
        return 0
    queued_keys = await ctx.store.rounds.queued_keys(f"figures:monthly:{key_month}:")
    year = (local - timedelta(days=1)).year  # on 1 January, the year just ended
    first = datetime(local.year, local.month, 1, tzinfo=ctx.config.zone)
    queued = 0
    for province in provinces:
        officers = [o for o in await ctx.store.users.officers_of(province)
                    if dedupe_key(key_month, province, o.id) not in queued_keys]
        if not officers:
            continue
        summary = await summary_of(ctx.store, Scope(province=province), year, local.date())
        reports: dict[str, Document] = {}  # one workbook per language, shared by its officers
        for officer in officers:
            attached = carries_files(officer.channel) and wants(officer, "reminder")
            document = None
            if attached:
                if officer.locale not in reports:
                    from handlers.figures.report import report_file  # heavy: when asked
                    reports[officer.locale] = await report_file(
                        ctx.store, ctx.renderer, officer.locale, province, year, local.date())
                document = reports[officer.locale]
            context = {
                "month": month,
                "place": await place_name(ctx.store, ctx.renderer, officer.locale, province),
                "attached": attached,
                **summary_context(summary),
            }
            queued += await notify_user(
                ctx.store, ctx.renderer, officer, "figures/monthly", context,
                kind="reminder", dedupe_key=dedupe_key(key_month, province, officer.id),
                now=ctx.now, event=first + RELEVANT_FOR, document=document,
            )
    return queued
