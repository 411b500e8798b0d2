"""`/moicanboxa`: a province's officer invites the commune officer of one of its communes with a
one-time code (typed with `/macanbo`, as officers' codes are)."""

from __future__ import annotations

from handlers.account import codes
from handlers.account.invites import BACK, create_invite
from handlers.account.steps import CommuneInvites, Officer
from handlers.common.access import managed_province
from handlers.engine.events import Reply
from handlers.engine.turn import TEXT, Flow, Turn
from messages.text import normalize
from storage.models import Role
from storage.places import match

flow = Flow("commune_invites", role=Role.OFFICER)
flow.command("moicanboxa", CommuneInvites.COMMUNE)


@flow.ask(CommuneInvites.COMMUNE)
async def ask_commune(turn: Turn) -> list[Reply]:
    """Ask which commune of the officer's province the new commune officer will check."""
    if not managed_province(turn.user):  # an admin names the province in the console
        return [Reply(template="invites/commune_admin"), *await turn.goto(Officer.MAIN)]
    return [Reply(template="invites/ask_commune", choices=(BACK,))]


@flow.answer(CommuneInvites.COMMUNE, accepts=TEXT)
async def make_code(turn: Turn) -> list[Reply]:
    """Make the code for the typed commune (matched to a commune or ward of the province)."""
    if turn.choice == BACK.key:
        return await turn.goto(Officer.MAIN)
    province_code = managed_province(turn.user) or ""
    province = await turn.store.reference.province(province_code)
    found = match(province.name, turn.text) if province else []
    if len(found) != 1:
        names = [name for _, name in found[:8]]
        return await turn.again(Reply(template="invites/commune_unknown",
                                      context={"typed": normalize(turn.text), "names": names}))
    commune = found[0][1]
    code, expires = await create_invite(turn.store, turn.user.address, province_code, turn.now,
                                        commune=commune)
    context = {"code": codes.shown(code), "province": province.name if province else "",
               "commune": commune, "expires_at": expires}
    return [Reply(template="invites/code", context=context), *await turn.goto(Officer.MAIN)]
