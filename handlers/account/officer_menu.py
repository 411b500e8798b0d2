"""The officer section of the menu; each item opens an officer flow once it exists."""

from __future__ import annotations

from handlers.account.menu import MenuItem, choices_of, open_item
from handlers.account.steps import CommuneInvites, Invites, Menu, Officer, Web
from handlers.broadcasts.steps import Broadcast
from handlers.engine.events import Reply
from handlers.engine.turn import Flow, Turn
from handlers.figures.steps import Figures
from handlers.rating.steps import Commune, Results, Review
from handlers.rounds.steps import Rounds
from handlers.trainings.steps import Trainings
from storage.models import Role

flow = Flow("officer", role=Role.OFFICER)
flow.command("canbo", Officer.MAIN)

OFFICER_ITEMS = (
    MenuItem("o:bc", "officer.broadcast", Broadcast.COMPOSE, needs_profile=False),
    MenuItem("o:bcl", "officer.broadcasts", Broadcast.HISTORY, needs_profile=False),
    MenuItem("o:rev", "officer.review", Review.QUEUE, needs_profile=False),
    MenuItem("o:res", "officer.results", Results.PICK, needs_profile=False),
    MenuItem("o:xa", "officer.communes", Commune.LIST, needs_profile=False),
    MenuItem("o:ixa", "officer.commune_invite", CommuneInvites.COMMUNE, needs_profile=False),
    MenuItem("o:rnd", "officer.rounds", Rounds.MANAGE, needs_profile=False),
    MenuItem("o:trn", "officer.trainings", Trainings.MANAGE, needs_profile=False),
    MenuItem("o:fig", "figures.menu", Figures.MAIN, needs_profile=False),
    MenuItem("o:web", "officer.web", Web.LINK, needs_profile=False),
)
ADMIN_ITEMS = (
    MenuItem("o:inv", "officer.invite", Invites.PROVINCE, needs_profile=False),
    MenuItem("o:staff", "officer.staff", Invites.STAFF, needs_profile=False),
)
BACK = MenuItem("o:back", "common.back", Menu.MAIN, needs_profile=False)


def items_for(turn: Turn) -> tuple[MenuItem, ...]:
    """The officer section of this user (admins also manage officers)."""
    admin = ADMIN_ITEMS if turn.user.role is Role.ADMIN else ()
    return (*OFFICER_ITEMS, *admin, BACK)


@flow.ask(Officer.MAIN)
async def show(turn: Turn) -> list[Reply]:
    """Show what an officer can do."""
    code = turn.user.officer_province
    province = await turn.store.reference.province(code) if code else None
    context = {
        "province": province.name if province else "",
        "admin": turn.user.role is Role.ADMIN,
    }
    return [Reply(template="officer/main", context=context, choices=choices_of(items_for(turn)))]


@flow.answer(Officer.MAIN)
async def pick(turn: Turn) -> list[Reply]:
    """Open the picked officer action."""
    return await open_item(turn, items_for(turn))
