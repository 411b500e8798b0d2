"""An officer approves producers' claims of imported products, or draws a claim code."""

from __future__ import annotations

from handlers.account import codes
from handlers.account.steps import Menu
from handlers.claims import codes as claim_codes
from handlers.claims.steps import ClaimOfficer
from handlers.common.access import may_manage, officer_scope
from handlers.common.notify import notify_user
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from storage.models import Role

flow = Flow("claim_officer", role=Role.OFFICER)
flow.command("xacnhannhan", ClaimOfficer.MAIN)

BACK = Choice(key="c:back", label="common.to_menu")


def _actor(turn: Turn) -> str:
    return f"{turn.user.channel}:{turn.user.external_id}"


@flow.ask(ClaimOfficer.MAIN)
async def main(turn: Turn) -> list[Reply]:
    """Open claim requests of the officer's province, and drawing a code."""
    waiting = await turn.store.existing.open_requests(officer_scope(turn))
    choices = (
        *(Choice(key=f"r:{r['id']}", text=f"{r['asker'] or '…'} → {r['producer']}"[:120])
          for r in waiting[:20]),
        Choice(key="c:code", label="claims.draw_code"),
        BACK,
    )
    return [Reply(template="claims/officer_main", context={"count": len(waiting)},
                  choices=choices)]


@flow.answer(ClaimOfficer.MAIN)
async def picked(turn: Turn) -> list[Reply]:
    """Open a request, or ask which producer a code is for."""
    if turn.choice == "c:back":
        return await turn.goto(Menu.MAIN)
    if turn.choice == "c:code":
        return await turn.goto(ClaimOfficer.CODE)
    return await turn.goto(ClaimOfficer.DECIDE, request=int(turn.choice_arg))


async def _request(turn: Turn) -> dict[str, object] | None:
    request = await turn.store.existing.open_request(int(turn.data.get("request", 0)))
    if request is None:
        return None
    producer = await turn.store.users.producer(int(str(request["producer_id"])))
    if producer is None or not may_manage(turn.user, producer.province_code):
        return None
    return request


@flow.ask(ClaimOfficer.DECIDE)
async def decide(turn: Turn) -> list[Reply]:
    """Show who asks for which producer, to approve or refuse."""
    request = await _request(turn)
    if request is None:
        return [Reply(template="claims/request_gone"), *await turn.goto(ClaimOfficer.MAIN)]
    waiting = await turn.store.existing.open_requests(None)
    shown = next(r for r in waiting if r["id"] == request["id"])
    candidate = await turn.store.existing.candidate(int(str(request["producer_id"])))
    choices = (Choice(key="d:yes", label="claims.approve"),
               Choice(key="d:no", label="claims.refuse"), BACK)
    context = {"asker": shown["asker"] or "", "phone": shown["asker_phone"] or "",
               "producer": shown["producer"],
               "products": list(candidate.products) if candidate else []}
    return [Reply(template="claims/decide", context=context, choices=choices)]


@flow.answer(ClaimOfficer.DECIDE)
async def decided(turn: Turn) -> list[Reply]:
    """Link the producer's products to the asker, or refuse; the asker is told either way."""
    if turn.choice == "c:back":
        return await turn.goto(ClaimOfficer.MAIN)
    request = await _request(turn)
    if request is None:
        return [Reply(template="claims/request_gone"), *await turn.goto(ClaimOfficer.MAIN)]
    approved = turn.choice == "d:yes"
    producer_id, user_id = int(str(request["producer_id"])), int(str(request["user_id"]))
    moved = 0
    if approved:
        moved = await turn.store.claiming.claim(producer_id, user_id, "officer", turn.now)
    else:
        await turn.store.existing.decide(int(str(request["id"])), _actor(turn), False, turn.now)
    await turn.store.audit.record(_actor(turn), "claim_approved" if approved else
                                  "claim_refused", turn.now, subject=f"producer:{producer_id}")
    asker = await turn.store.users.get(user_id)
    if asker is not None:
        await notify_user(
            turn.store, turn.renderer, asker, "claims/decided",
            {"approved": approved, "count": moved}, kind="notice",
            dedupe_key=f"claim:{request['id']}:decided", now=turn.now, urgent=True,
        )
    return [Reply(template="claims/decision_saved", context={"approved": approved}),
            *await turn.goto(ClaimOfficer.MAIN)]


@flow.ask(ClaimOfficer.CODE)
async def ask_producer(turn: Turn) -> list[Reply]:
    """Ask for the id of the unclaimed producer (as in the export) the code is for."""
    return [Reply(template="claims/ask_producer_id", choices=(BACK,))]


@flow.answer(ClaimOfficer.CODE, accepts=TEXT, digits_are_text=True)
async def draw(turn: Turn) -> list[Reply]:
    """Draw a one-time code for a producer of the officer's province."""
    if turn.choice == "c:back":
        return await turn.goto(ClaimOfficer.MAIN)
    typed = turn.text.strip().lstrip("#")
    candidate = await turn.store.existing.candidate(int(typed)) if typed.isdigit() else None
    if candidate is None or not may_manage(turn.user, candidate.province_code):
        return await turn.again(Reply(template="claims/no_such_producer",
                                      context={"typed": turn.text}))
    code = await claim_codes.draw(turn.store, candidate.producer_id, _actor(turn), turn.now)
    assert code is not None
    context = {"code": codes.shown(code), "name": candidate.name,
               "days": claim_codes.CODE_TTL.days}
    return [Reply(template="claims/code_drawn", context=context),
            *await turn.goto(ClaimOfficer.MAIN)]
