"""Officers ask in chat for a one-time link that signs them in to the web console."""

from __future__ import annotations

from datetime import timedelta

from handlers.account.steps import Menu, Officer, Web
from handlers.engine.events import Reply
from handlers.engine.turn import Flow, Turn
from storage.models import Role

flow = Flow("web", role=Role.COMMUNE_OFFICER)  # officers, admins and commune officers
flow.command("web", Web.LINK)

LINK_VALID = timedelta(minutes=10)
LOGIN_PATH = "/web/login/"


@flow.ask(Web.LINK)
async def give_link(turn: Turn) -> list[Reply]:
    """A sign-in link valid for ten minutes and one use, or how to turn the console on."""
    base = turn.config.web_base_url
    back = Officer.MAIN if turn.user.is_officer else Menu.MAIN  # a commune officer's menu
    if not base:
        return [Reply(template="web/not_enabled"), *await turn.goto(back)]
    token = await turn.store.web_sessions.new_link(turn.user.id, turn.now, LINK_VALID)
    await turn.store.audit.record(turn.user.address, "web_link", turn.now)
    minutes = int(LINK_VALID.total_seconds() // 60)
    context = {"url": f"{base}{LOGIN_PATH}{token}", "minutes": minutes}
    return [Reply(template="web/link", context=context), *await turn.goto(back)]
