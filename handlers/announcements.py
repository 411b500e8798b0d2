"""Producers: see recent announcements again; `dừng`/`stop` turns announcements off."""

from __future__ import annotations

from handlers.deletion import EXPORTERS, Section
from handlers.events import Choice, Reply
from handlers.registry import Flow
from handlers.turn import Turn
from messages.render import command_aliases
from messages.text import fold

flow = Flow("announcements")
flow.command("thongbao", "recent")
flow.command("dung", "stop")
flow.command("stop", "stop")

RECENT = 5


@flow.ask("recent")
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


@flow.answer("recent")
async def leave_recent(turn: Turn) -> list[Reply]:
    """Open the settings or go back to the menu."""
    if turn.choice == "n:set":
        return await turn.goto("preferences.show")
    return await turn.goto("menu.main")


def _surely_stop(text: str) -> bool:
    """Whether the typed words really say stop: "đúng" (right) or "dùng" (use) fold to the
    same letters as "dừng" (stop), so an accented word other than the stop words is unsure."""
    typed = " ".join(text.split()).casefold()
    words = {word.casefold() for word in command_aliases().get("dung", ())}
    return typed.startswith("/") or typed in words or typed == fold(typed)


@flow.ask("stop")
async def stop(turn: Turn) -> list[Reply]:
    """Turn announcements off and say how to turn them back on (ask first if unsure)."""
    if not _surely_stop(turn.text):
        return await turn.goto("announcements.confirm_stop")
    return await _stop(turn)


async def _stop(turn: Turn) -> list[Reply]:
    await turn.store.users.set_preferences(turn.user.id, announcements_on=False)
    await turn.refresh_user()
    return [Reply(template="announcements/stopped"), *await turn.goto("menu.main")]


@flow.ask("confirm_stop")
async def ask_confirm_stop(turn: Turn) -> list[Reply]:
    """Ask whether the user meant to stop announcements."""
    choices = (Choice(key="s:stop", label="announcements.stop"),
               Choice(key="s:keep", label="announcements.keep"))
    return [Reply(template="announcements/confirm_stop", choices=choices)]


@flow.answer("confirm_stop")
async def take_confirm_stop(turn: Turn) -> list[Reply]:
    """Stop, or keep announcements and go back to the menu."""
    if turn.choice == "s:stop":
        return await _stop(turn)
    return await turn.goto("menu.main")


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


EXPORTERS.append(export_messages)
