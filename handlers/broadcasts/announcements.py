"""Producers: see recent announcements again; `dừng`/`stop` turns announcements off."""

from __future__ import annotations

from handlers.account.steps import Menu, Preferences
from handlers.broadcasts.steps import Announcements
from handlers.common.notify import set_wanted
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Section, Turn

flow = Flow("announcements")
flow.command("thongbao", Announcements.RECENT, listed=12)
flow.command("dung", Announcements.STOP)
flow.command("stop", Announcements.STOP)

RECENT = 5


@flow.ask(Announcements.RECENT)
async def show_recent(turn: Turn) -> list[Reply]:
    """The latest announcements sent to this producer's accounts."""
    user = turn.user
    accounts = (
        [u.id for u in await turn.store.users.users_of_producer(user.producer_id)]
        if user.producer_id is not None
        else [user.id]
    )
    items = [
        {"text": b.text, "at": b.not_before, "urgent": b.urgent}
        for b in await turn.store.broadcasts.received_by(accounts, turn.now, limit=RECENT)
    ]
    choices = (Choice(key="n:set", label="menu.settings"),
               Choice(key="n:menu", label="common.to_menu"))
    context = {"items": items, "announcements_on": user.announcements_on}
    return [Reply(template="announcements/recent", context=context, choices=choices)]


@flow.answer(Announcements.RECENT)
async def leave_recent(turn: Turn) -> list[Reply]:
    """Open the settings or go back to the menu."""
    if turn.choice == "n:set":
        return await turn.goto(Preferences.SHOW)
    return await turn.goto(Menu.MAIN)


@flow.ask(Announcements.STOP)
async def stop(turn: Turn) -> list[Reply]:
    """Turn announcements off, say so, and offer to turn them back on in one tap."""
    if turn.data.get("stopped") is None:
        await set_wanted(turn.store, turn.user, turn.now, announcements_on=False)
        await turn.refresh_user()
        turn.data["stopped"] = True
    choices = (
        Choice(key="n:undo", label="preferences.announcements_on"),
        Choice(key="n:menu", label="common.to_menu"),
    )
    return [Reply(template="announcements/stopped", choices=choices)]


@flow.answer(Announcements.STOP)
async def undo_stop(turn: Turn) -> list[Reply]:
    """Turn announcements back on (a slip of the finger), or go to the menu."""
    if turn.choice == "n:undo":
        await set_wanted(turn.store, turn.user, turn.now, announcements_on=True)
        await turn.refresh_user()
        return [Reply(template="announcements/restarted"), *await turn.goto(Menu.MAIN)]
    return await turn.goto(Menu.MAIN)


async def export_messages(turn: Turn) -> list[Section]:
    """For /xoadulieu: how many announcements, reminders and notices are kept for this user."""
    kept = await turn.store.outbox.kept_for(turn.user.id)
    if not kept:
        return []
    known = ("announcement", "reminder", "progress")
    lines = []
    for kind, count in kept.items():
        key = f"announcements.kind_{kind if kind in known else 'notice'}"
        lines.append(f"{turn.renderer.label(turn.locale, key)}: {count}")
    return [("announcements.section", lines)]
