"""The main menu: what the bot offers, by role and by whether a profile exists."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.account.steps import Help, Menu, Officer, Onboarding, Preferences, Profile
from handlers.broadcasts.steps import Announcements
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Turn
from handlers.products.steps import Products
from handlers.rating.steps import Commune
from handlers.rounds.steps import Rounds
from handlers.trainings.steps import Trainings
from storage.models import Role

flow = Flow("menu")
flow.command("menu", Menu.MAIN, listed=2)
flow.command("huy", Menu.MAIN, listed=6, cancels=True)
flow.command("cancel", Menu.MAIN, cancels=True)


@dataclass(frozen=True)
class MenuItem:
    """One line of a menu and the step it opens (shown as 'coming soon' until it exists)."""

    key: str
    label: str
    step: str
    needs_profile: bool = True


PRODUCER_ITEMS = (
    MenuItem("m:reg", "menu.register_product", Products.REGISTER),
    MenuItem("m:prod", "menu.my_products", Products.MINE),
    MenuItem("m:dl", "menu.deadlines", Rounds.DEADLINES),
    MenuItem("m:tr", "menu.trainings", Trainings.UPCOMING),
    MenuItem("m:ann", "menu.announcements", Announcements.RECENT),
    MenuItem("m:me", "menu.profile", Profile.SHOW),
    MenuItem("m:set", "menu.settings", Preferences.SHOW, needs_profile=False),
    MenuItem("m:help", "menu.help", Help.SHOW, needs_profile=False),
)
NEWCOMER_ITEMS = (
    MenuItem("m:start", "menu.start", Onboarding.START, needs_profile=False),
    MenuItem("m:set", "menu.settings", Preferences.SHOW, needs_profile=False),
    MenuItem("m:help", "menu.help", Help.SHOW, needs_profile=False),
)
OFFICER_ITEM = MenuItem("m:off", "menu.officer", Officer.MAIN, needs_profile=False)
COMMUNE_ITEM = MenuItem("m:xa", "menu.commune", Commune.LIST, needs_profile=False)


def items_for(turn: Turn) -> tuple[MenuItem, ...]:
    """The items this user's main menu shows (an officer who is not a producer is not asked
    to register as one: the officers' section comes first)."""
    if turn.user.is_officer and turn.user.producer_id is None:
        return (OFFICER_ITEM, *NEWCOMER_ITEMS[1:])
    items = PRODUCER_ITEMS if turn.user.producer_id is not None else NEWCOMER_ITEMS
    if turn.user.role is Role.COMMUNE_OFFICER:
        return (*items, COMMUNE_ITEM)
    return (*items, OFFICER_ITEM) if turn.user.is_officer else items


def choices_of(items: tuple[MenuItem, ...]) -> tuple[Choice, ...]:
    """Menu items as choices."""
    return tuple(Choice(key=item.key, label=item.label) for item in items)


async def open_item(turn: Turn, items: tuple[MenuItem, ...]) -> list[Reply]:
    """Open the picked menu item, or say it is coming soon."""
    item = next((i for i in items if i.key == turn.choice), None)
    if item is None:  # offered before the user's role or profile changed
        return await turn.again(Reply(template="errors/stale_menu"))
    if item.step not in turn.registry.steps:
        return await turn.again(Reply(template="menu/coming_soon"))
    return await turn.goto(item.step)


@flow.ask(Menu.MAIN)
async def show(turn: Turn) -> list[Reply]:
    """Show the main menu."""
    producer = (
        await turn.store.users.producer(turn.user.producer_id) if turn.user.producer_id else None
    )
    context = {"producer_name": producer.name if producer else "", "officer": turn.user.is_officer}
    if producer is not None:  # how many drafts the producer has left unfinished
        context["drafts"] = len(await turn.store.products.drafts_of(producer.id))
    return [Reply(template="menu/main", context=context, choices=choices_of(items_for(turn)))]


@flow.answer(Menu.MAIN)
async def pick(turn: Turn) -> list[Reply]:
    """Open what the user picked from the main menu."""
    return await open_item(turn, items_for(turn))
