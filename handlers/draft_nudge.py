"""The draft nudge: a draft (onboarding or any other) left alone for 3 days gets one reminder."""

from __future__ import annotations

from datetime import timedelta

from handlers.notify import notify_user
from handlers.reminders import ReminderContext, reminder_rule

IDLE = timedelta(days=3)
STILL_RELEVANT = timedelta(days=30)  # an older draft is not worth a nudge any more


@reminder_rule
async def nudge_stale_drafts(ctx: ReminderContext) -> int:
    """Queue one nudge per draft untouched for 3 days (and less than 30)."""
    queued = 0
    stale = await ctx.store.reminders.stale_drafts(ctx.now - IDLE, ctx.now - STILL_RELEVANT)
    for draft in stale:
        user = await ctx.store.users.get(draft.user_id)
        if user is None:
            continue
        queued += await notify_user(
            ctx.store,
            ctx.renderer,
            user,
            "announcements/draft_nudge",
            {"kind": draft.kind, "since": draft.updated_at},
            kind="reminder",
            dedupe_key=draft.dedupe_key,
            now=ctx.now,
        )
    return queued
