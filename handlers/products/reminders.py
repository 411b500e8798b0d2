"""The draft nudge: a draft (onboarding or any other) left alone for 3 days gets one reminder."""

from __future__ import annotations

from datetime import timedelta

from handlers.common.notify import channel_format, relevant_until
from handlers.common.reminders import ReminderContext
from storage.outbox_models import OutboxMessage

IDLE = timedelta(days=3)
STILL_RELEVANT = timedelta(days=30)  # an older draft is not worth a nudge any more


async def nudge_stale_drafts(ctx: ReminderContext) -> int:
    """Queue one nudge per draft untouched for 3 days (and less than 30).

    The query already keeps to users who want reminders and can be reached (what
    `notify_user` checks); the rows go in with one statement, so a pass that finds
    thousands of due drafts stays short.
    """
    stale = await ctx.store.reminders.stale_drafts(ctx.now - IDLE, ctx.now - STILL_RELEVANT)
    messages = []
    for draft in stale:
        fmt = channel_format(draft.channel)
        text = ctx.renderer.render(draft.locale, "announcements/draft_nudge", fmt,
                                   kind=draft.kind, since=draft.updated_at)
        messages.append(OutboxMessage(
            user_id=draft.user_id, channel=draft.channel, chat_id=draft.chat_id,
            kind="reminder", payload={"text": text, "format": fmt.value},
            dedupe_key=draft.dedupe_key, not_before=ctx.now,
            expires_at=relevant_until("reminder", ctx.now),
        ))
    return await ctx.store.outbox.enqueue_many(messages, ctx.now) if messages else 0
