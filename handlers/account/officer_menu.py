"""The officer section of the menu; each item opens an officer flow once it exists."""

from __future__ import annotations

from handlers.account.menu import MenuItem, choices_of, open_item
from handlers.engine.events import Reply
from handlers.engine.turn import Flow, Turn
from storage.models import Role

flow = Flow("officer", role=Role.OFFICER)
flow.command("canbo", "main")

OFFICER_ITEMS = (
    MenuItem("o:bc", "officer.broadcast", "broadcast.compose", needs_profile=False),
    MenuItem("o:bcl", "officer.broadcasts", "broadcast.history", needs_profile=False),
    MenuItem("o:rev", "officer.review", "review.queue", needs_profile=False),
    MenuItem("o:res", "officer.results", "results.pick", needs_profile=False),
    MenuItem("o:rnd", "officer.rounds", "rounds.manage", needs_profile=False),
    MenuItem("o:trn", "officer.trainings", "trainings.manage", needs_profile=False),
    MenuItem("o:fig", "figures.menu", "figures.main", needs_profile=False),
    MenuItem("o:web", "officer.web", "web.link", needs_profile=False),
)
ADMIN_ITEMS = (
    MenuItem("o:inv", "officer.invite", "invites.province", needs_profile=False),
    MenuItem("o:staff", "officer.staff", "invites.staff", needs_profile=False),
)
BACK = MenuItem("o:back", "common.back", "menu.main", needs_profile=False)


def items_for(turn: Turn) -> tuple[MenuItem, ...]:
    """The officer section of this user (admins also manage officers)."""
    admin = ADMIN_ITEMS if turn.user.role is Role.ADMIN else ()
    return (*OFFICER_ITEMS, *admin, BACK)


@flow.ask("main")
async def show(turn: Turn) -> list[Reply]:
    """Show what an officer can do."""
    code = turn.user.officer_province
    province = await turn.store.reference.province(code) if code else None
    context = {
        "province": province.name if province else "",
        "admin": turn.user.role is Role.ADMIN,
    }
    return [Reply(template="officer/main", context=context, choices=choices_of(items_for(turn)))]


@flow.answer("main")
async def pick(turn: Turn) -> list[Reply]:
    """Open the picked officer action."""
    return await open_item(turn, items_for(turn))
