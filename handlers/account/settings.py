"""/caidat: language, reminders and announcements on or off."""

from __future__ import annotations

from handlers.account.steps import Menu, Preferences
from handlers.common.notify import set_wanted
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Turn

flow = Flow("preferences")
flow.command("caidat", Preferences.SHOW, listed=4)
flow.command("settings", Preferences.SHOW)


@flow.ask(Preferences.SHOW)
async def show(turn: Turn) -> list[Reply]:
    """Show the current settings with a choice to change each."""
    user = turn.user
    choices = (
        Choice(key="p:lang", label="preferences.language"),
        Choice(
            key="p:rem",
            label="preferences.reminders_off" if user.reminders_on else "preferences.reminders_on",
        ),
        Choice(
            key="p:ann",
            label="preferences.announcements_off"
            if user.announcements_on
            else "preferences.announcements_on",
        ),
        Choice(key="p:back", label="common.to_menu"),
    )
    context = {"reminders_on": user.reminders_on, "announcements_on": user.announcements_on}
    return [Reply(template="preferences/show", context=context, choices=choices)]


@flow.answer(Preferences.SHOW)
async def change(turn: Turn) -> list[Reply]:
    """Flip the picked setting, or open the language choice."""
    user = turn.user
    match turn.choice:
        case "p:lang":
            return await turn.goto(Preferences.LANGUAGE)
        case "p:rem":
            await set_wanted(turn.store, user, turn.now, reminders_on=not user.reminders_on)
        case "p:ann":
            await set_wanted(
                turn.store, user, turn.now, announcements_on=not user.announcements_on
            )
        case _:
            return await turn.goto(Menu.MAIN)
    await turn.refresh_user()
    return [Reply(template="preferences/saved"), *await turn.goto(Preferences.SHOW)]


@flow.ask(Preferences.LANGUAGE)
async def ask_language(turn: Turn) -> list[Reply]:
    """Offer the languages."""
    choices = (Choice(key="l:vi", label="language.vi"), Choice(key="l:en", label="language.en"))
    return [Reply(template="preferences/ask_language", choices=choices)]


@flow.answer(Preferences.LANGUAGE)
async def take_language(turn: Turn) -> list[Reply]:
    """Switch language."""
    await turn.store.users.set_locale(turn.user.id, turn.choice_arg)
    await turn.refresh_user()
    return [Reply(template="preferences/saved"), *await turn.goto(Preferences.SHOW)]
