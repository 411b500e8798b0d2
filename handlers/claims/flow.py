"""A producer finds their existing certified products (by phone or name) and claims them.

Nothing is linked before the claim is verified: on Telegram by sharing the account's own
phone contact when it matches the imported phone; otherwise by a one-time code an officer
of the province draws; otherwise an officer approves the request in chat.
"""

from __future__ import annotations

from handlers.account import codes, profile
from handlers.account.steps import Menu
from handlers.claims import values
from handlers.claims.steps import START_PAYLOAD_DRAFT, Claims
from handlers.common.fields import phone_e164
from handlers.common.notify import notify_user
from handlers.engine.events import Choice, InputKind, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from storage.existing import ClaimCandidate

flow = Flow("claims", needs_profile=True)
flow.command("nhansanpham", Claims.START)

MAX_SHOWN = 8  # more matches than this: ask for more of the name, or the phone
BACK = Choice(key="k:back", label="common.to_menu")
WITH_CONTACT = TEXT | {InputKind.CONTACT}
profile.EXTRA_ITEMS.append(
    Choice(key="f:claim", label="claims.menu_item", context={"step": Claims.START})
)


async def _own_phone(turn: Turn) -> str:
    assert turn.user.producer_id is not None
    producer = await turn.store.users.producer(turn.user.producer_id)
    return producer.phone if producer else ""


def _choice(candidate: ClaimCandidate) -> Choice:
    products = ", ".join(candidate.products[:3])
    return Choice(key=f"p:{candidate.producer_id}",
                  text=f"{candidate.name or '…'} — {products}"[:120])


@flow.ask(Claims.OFFER)
async def offer(turn: Turn) -> list[Reply]:
    """After onboarding: claim with the invitation's link that brought the person here, or
    offer to claim products imported with this phone, or in the province."""
    kept = await turn.store.conversations.draft(turn.user.id, START_PAYLOAD_DRAFT)
    if kept is not None:
        await turn.store.conversations.drop_draft(turn.user.id, START_PAYLOAD_DRAFT)
        return await turn.goto(Claims.LINK, payload=str(kept.get("payload", "")))
    unclaimed = await turn.store.existing.unclaimed()
    phone = await _own_phone(turn)
    same = [c.producer_id for c in unclaimed if phone and c.phone == phone]
    if same:
        return [Reply(template="claims/found_by_phone"), *await turn.goto(Claims.PICK, ids=same)]
    if not unclaimed:
        return await turn.goto(Menu.MAIN)
    choices = (Choice(key="k:yes", label="claims.menu_item"), BACK)
    return [Reply(template="claims/offer", choices=choices)]


@flow.answer(Claims.OFFER)
async def offer_answer(turn: Turn) -> list[Reply]:
    """Search for the products, or go on to the menu."""
    return await turn.goto(Claims.START if turn.choice == "k:yes" else Menu.MAIN)


@flow.ask(Claims.START)
async def start(turn: Turn) -> list[Reply]:
    """Ask for the phone or the name the province's list has."""
    return [Reply(template="claims/ask_who", choices=(BACK,))]


@flow.answer(Claims.START, accepts=TEXT, digits_are_text=True)
async def search(turn: Turn) -> list[Reply]:
    """Find unclaimed producers by phone, or by a part of their or their products' names."""
    if turn.choice == "k:back":
        return await turn.goto(Menu.MAIN)
    unclaimed = await turn.store.existing.unclaimed()
    phone = phone_e164(turn.text)
    if phone is not None:
        found = [c for c in unclaimed if c.phone == phone]
    else:
        key = values.loose(turn.text)
        if len(key) < 3:
            return await turn.again(Reply(template="claims/too_short"))
        found = [c for c in unclaimed if key in values.loose(c.name)
                 or any(key in values.loose(name) for name in c.products)]
    if not found:
        return await turn.again(Reply(template="claims/not_found", context={"typed": turn.text}))
    if len(found) > MAX_SHOWN:
        return await turn.again(Reply(template="claims/too_many", context={"count": len(found)}))
    return await turn.goto(Claims.PICK, ids=[c.producer_id for c in found])


@flow.ask(Claims.PICK)
async def pick(turn: Turn) -> list[Reply]:
    """Show the producers found, to pick one's own."""
    found = [c for c in await turn.store.existing.unclaimed()
             if c.producer_id in turn.data.get("ids", [])]
    if not found:
        return await turn.goto(Claims.START)
    choices = (*(_choice(c) for c in found), BACK)
    return [Reply(template="claims/pick", context={"count": len(found)}, choices=choices)]


@flow.answer(Claims.PICK)
async def picked(turn: Turn) -> list[Reply]:
    """Go on to verify the picked producer."""
    if turn.choice == "k:back":
        return await turn.goto(Menu.MAIN)
    producer_id = int(turn.choice_arg)
    if producer_id not in turn.data.get("ids", []):
        return await turn.again(Reply(template="errors/stale_menu"))
    return await turn.goto(Claims.VERIFY, producer=producer_id)


async def _candidate(turn: Turn) -> ClaimCandidate | None:
    return await turn.store.existing.candidate(int(turn.data.get("producer", 0)))


@flow.ask(Claims.VERIFY)
async def verify(turn: Turn) -> list[Reply]:
    """Offer the ways to prove the producer is theirs."""
    candidate = await _candidate(turn)
    if candidate is None:
        return [Reply(template="claims/gone"), *await turn.goto(Menu.MAIN)]
    replies = []
    if turn.user.channel == "telegram" and candidate.phone:
        replies.append(Reply(template="claims/share_contact", ask_contact="claims.share_button"))
    choices = (Choice(key="v:code", label="claims.have_code"),
               Choice(key="v:officer", label="claims.ask_officer"), BACK)
    context = {"name": candidate.name, "products": list(candidate.products)}
    return [*replies, Reply(template="claims/verify", context=context, choices=choices)]


@flow.answer(Claims.VERIFY, accepts=WITH_CONTACT, digits_are_text=True)
async def verified(turn: Turn) -> list[Reply]:
    """A shared contact, a typed code, or one of the other ways."""
    candidate = await _candidate(turn)
    if candidate is None:
        return [Reply(template="claims/gone"), *await turn.goto(Menu.MAIN)]
    if turn.event.kind is InputKind.CONTACT:
        shared = phone_e164(turn.event.contact_phone or "")
        if shared is None or shared != candidate.phone:
            return await turn.again(Reply(template="claims/contact_mismatch"))
        return await claim(turn, candidate, "contact")
    if turn.choice == "k:back":
        return await turn.goto(Menu.MAIN)
    if turn.choice == "v:code":
        return await turn.goto(Claims.CODE, producer=candidate.producer_id)
    if turn.choice == "v:officer":
        return await _ask_officers(turn, candidate)
    return await _take_code(turn, candidate)


@flow.ask(Claims.CODE)
async def ask_code(turn: Turn) -> list[Reply]:
    """Ask for the code the officer gave."""
    return [Reply(template="claims/ask_code", choices=(BACK,))]


@flow.answer(Claims.CODE, accepts=TEXT, digits_are_text=True)
async def code_typed(turn: Turn) -> list[Reply]:
    """Check the typed code against the picked producer."""
    if turn.choice == "k:back":
        return await turn.goto(Menu.MAIN)
    candidate = await _candidate(turn)
    if candidate is None:
        return [Reply(template="claims/gone"), *await turn.goto(Menu.MAIN)]
    return await _take_code(turn, candidate)


async def held_back(turn: Turn) -> list[Reply] | None:
    """The refusal while this account (or the whole bot) has typed too many wrong codes."""
    minutes = int(codes.FAILURE_WINDOW.total_seconds()) // 60
    if await codes.account_failures(turn) >= codes.ACCOUNT_MAX_FAILURES:
        return [Reply(template="linking/too_many", context={"minutes": minutes}),
                *await turn.goto(Menu.MAIN)]
    paused = await codes.paused(turn)
    if paused is not None:
        return [paused, *await turn.goto(Menu.MAIN)]
    return None


async def _take_code(turn: Turn, candidate: ClaimCandidate) -> list[Reply]:
    minutes = int(codes.FAILURE_WINDOW.total_seconds()) // 60
    if (refused := await held_back(turn)) is not None:
        return refused
    typed = codes.typed(turn.text)
    if not codes.well_formed(typed):
        return await turn.again(Reply(template="claims/code_format"))
    if not await turn.store.existing.use_code(typed, candidate.producer_id, turn.user.id,
                                              turn.now):
        left = await codes.record_wrong(turn)
        if left <= 0:
            return [Reply(template="linking/too_many", context={"minutes": minutes}),
                    *await turn.goto(Menu.MAIN)]
        return await turn.again(Reply(template="claims/wrong_code", context={"left": left}))
    return await claim(turn, candidate, "code")


async def claim(turn: Turn, candidate: ClaimCandidate, how: str) -> list[Reply]:
    """Merge the verified producer into the person's account, audit it, and say so."""
    moved = await turn.store.claiming.claim(candidate.producer_id, turn.user.id, how, turn.now)
    await turn.store.audit.record(
        f"{turn.user.channel}:{turn.user.external_id}", "producer_claimed", turn.now,
        subject=f"producer:{candidate.producer_id}", details={"how": how, "products": moved},
    )
    return [Reply(template="claims/claimed", context={"count": moved}),
            *await turn.goto(Menu.MAIN)]


async def _ask_officers(turn: Turn, candidate: ClaimCandidate) -> list[Reply]:
    request_id = await turn.store.existing.request(candidate.producer_id, turn.user.id, turn.now)
    for officer in await turn.store.users.officers_of(candidate.province_code):
        await notify_user(
            turn.store, turn.renderer, officer, "claims/officer_notice",
            {"name": candidate.name, "products": list(candidate.products)},
            kind="notice", dedupe_key=f"claim:{request_id}:officer:{officer.id}", now=turn.now,
        )
    return [Reply(template="claims/requested"), *await turn.goto(Menu.MAIN)]
