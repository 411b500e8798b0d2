"""Help: what the bot does and the commands it understands."""

from __future__ import annotations

from handlers.account.steps import Help, Menu
from handlers.common.rules import decision_in_force
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Turn
from storage.models import Role

flow = Flow("help")
flow.command("help", Help.SHOW)
flow.command("trogiup", Help.SHOW, listed=5)


@flow.ask(Help.SHOW)
async def show(turn: Turn) -> list[Reply]:
    """Explain the bot and list its commands."""
    context = {"officer": turn.user.is_officer, "registered": turn.user.producer_id is not None,
               "commune_officer": turn.user.role is Role.COMMUNE_OFFICER,
               "decision": await decision_in_force(turn.store)}
    return [
        Reply(
            template="help/show",
            context=context,
            choices=(Choice(key="h:menu", label="common.to_menu"),),
        )
    ]


@flow.answer(Help.SHOW)
async def back(turn: Turn) -> list[Reply]:
    """Return to the menu."""
    return await turn.goto(Menu.MAIN)
