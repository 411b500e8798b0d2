"""Reminders before a training starts (1 day and 2 hours by default) to everyone enrolled."""

from __future__ import annotations

from datetime import timedelta

from handlers.common import dates
from handlers.common.notify import notify_user
from handlers.common.reminders import ReminderContext, windows
from handlers.trainings.common import training_context


async def training_starts(ctx: ReminderContext) -> int:
    """Queue one reminder per offset to each person enrolled in a training starting soon."""
    queued = 0
    for hours, nearest, farthest in windows(
        ctx.config.training_reminder_hours, timedelta(hours=1)
    ):
        for training in await ctx.store.trainings.starting_between(
            ctx.now + nearest, ctx.now + farthest
        ):
            stamp = training.starts_at.strftime("%Y%m%d%H%M")
            prefix = f"training:{training.id}:start:{stamp}:{hours}h:"
            done = await ctx.store.rounds.queued_keys(prefix)  # skip rendering what is queued
            for user_id in await ctx.store.trainings.people(training.id, ("enrolled",)):
                key = f"{prefix}user:{user_id}"
                if key in done:
                    continue
                user = await ctx.store.users.get(user_id)
                if user is None:
                    continue
                context = {
                    "training": await training_context(ctx.store, training, user.locale),
                    # what is really left: a 24-hour reminder may go out later than 24 hours
                    # before (created or enrolled late), even on the day itself
                    "days": dates.days_left(training.starts_at, ctx.now, ctx.config.zone),
                    "hours": max(1, round((training.starts_at - ctx.now) / timedelta(hours=1))),
                }
                queued += await notify_user(
                    ctx.store,
                    ctx.renderer,
                    user,
                    "trainings/reminder",
                    context,
                    kind="reminder",
                    dedupe_key=key,
                    now=ctx.now,
                    event=training.starts_at,  # worth sending until the class starts
                )
    return queued
