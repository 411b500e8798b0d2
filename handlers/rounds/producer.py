"""/hanchot: a producer's rounds and deadlines; entering and withdrawing products."""

from __future__ import annotations

from handlers.account.steps import Menu
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Turn
from handlers.rounds.common import round_context, state_of
from handlers.rounds.steps import Rounds
from storage.round_models import ENTERABLE, Entry, Round

flow = Flow("rounds", needs_profile=True)
flow.command("hanchot", Rounds.DEADLINES, listed=10, officers=Rounds.MANAGE)
flow.command("deadlines", Rounds.DEADLINES, officers=Rounds.MANAGE)


async def _province(turn: Turn) -> str:
    assert turn.user.producer_id is not None
    producer = await turn.store.users.producer(turn.user.producer_id)
    assert producer is not None
    return producer.province_code


@flow.ask(Rounds.DEADLINES)
async def deadlines(turn: Turn) -> list[Reply]:
    """Open and upcoming rounds of the producer's province, with countdowns and entries."""
    assert turn.user.producer_id is not None
    rounds = await turn.store.rounds.current(await _province(turn), turn.now)
    entries = await turn.store.rounds.entries_of_producer(turn.user.producer_id)
    zone = turn.config.zone
    shown = []
    choices: list[Choice] = []
    for rnd in rounds:
        mine = [e for e in entries if e.round_id == rnd.id]
        shown.append(
            {**round_context(rnd, turn.now, zone), "entered": [e.product_name for e in mine]}
        )
        if rnd.is_open(turn.now):
            choices.append(
                Choice(key=f"e:{rnd.id}", label="rounds.enter", context={"round": rnd.name})
            )
        for entry in mine:
            choices.append(
                Choice(
                    key=f"w:{entry.id}",
                    label="rounds.withdraw",
                    context={"product": entry.product_name, "round": rnd.name},
                )
            )
    choices.append(Choice(key="b:menu", label="common.to_menu"))
    return [Reply(template="rounds/deadlines", context={"rounds": shown}, choices=tuple(choices))]


async def _refused_late(turn: Turn, rnd: Round) -> Reply:
    """Registration has closed: say so, with the next round's dates if one exists."""
    nxt = await turn.store.rounds.next_open(rnd.province_code, turn.now, after=rnd.id)
    zone = turn.config.zone
    context = {
        "round": round_context(rnd, turn.now, zone),
        "next": round_context(nxt, turn.now, zone) if nxt else None,
    }
    return Reply(template="rounds/registration_closed", context=context)


async def _round_for_entering(turn: Turn, round_id: object) -> Round | Reply:
    """The round if this producer may enter a product in it now, or the reply that says why not."""
    try:
        rnd = await turn.store.rounds.get(int(str(round_id)))
    except ValueError:
        rnd = None
    if rnd is None or rnd.status != "active" or rnd.province_code != await _province(turn):
        return Reply(template="rounds/not_found")
    state = state_of(rnd, turn.now)
    if state == "upcoming":
        return Reply(
            template="rounds/not_open_yet",
            context={"round": round_context(rnd, turn.now, turn.config.zone)},
        )
    if state != "open":
        return await _refused_late(turn, rnd)
    return rnd


@flow.answer(Rounds.DEADLINES)
async def pick(turn: Turn) -> list[Reply]:
    """Enter a product in a round, withdraw one, or go back."""
    if turn.choice == "b:menu":
        return await turn.goto(Menu.MAIN)
    if turn.choice and turn.choice.startswith("w:"):
        return await _ask_withdraw(turn)
    found = await _round_for_entering(turn, turn.choice_arg)
    if isinstance(found, Reply):
        return await turn.again(found)
    return await turn.goto(Rounds.PICK_PRODUCT, round_id=found.id)


async def _own_entry(turn: Turn, entry_id: object) -> tuple[Entry, Round] | Reply:
    """The producer's own entry and its round while it may be withdrawn, or the reply that
    says why not."""
    try:
        entry = await turn.store.rounds.entry(int(str(entry_id)))
    except ValueError:
        entry = None
    if entry is None or entry.producer_id != turn.user.producer_id or entry.status != "entered":
        return Reply(template="rounds/not_found")
    rnd = await turn.store.rounds.get(entry.round_id)
    if rnd is None or rnd.status != "active":
        return Reply(template="rounds/not_found")
    if turn.now >= rnd.dossier_deadline:
        context = {
            "product": entry.product_name,
            "round": round_context(rnd, turn.now, turn.config.zone),
        }
        return Reply(template="rounds/withdraw_too_late", context=context)
    return entry, rnd


async def _ask_withdraw(turn: Turn) -> list[Reply]:
    """Check the entry is the producer's own, then ask before withdrawing it."""
    found = await _own_entry(turn, turn.choice_arg)
    if isinstance(found, Reply):
        return await turn.again(found)
    return await turn.goto(Rounds.WITHDRAW, entry_id=found[0].id)


@flow.ask(Rounds.WITHDRAW)
async def ask_withdraw(turn: Turn) -> list[Reply]:
    """Ask before withdrawing: after the registration deadline it cannot be entered again."""
    found = await _own_entry(turn, turn.data.get("entry_id"))
    if isinstance(found, Reply):
        return [found, *await turn.goto(Rounds.DEADLINES)]
    entry, rnd = found
    context = {
        "product": entry.product_name,
        "round": round_context(rnd, turn.now, turn.config.zone),
        "closed": not rnd.is_open(turn.now),
    }
    choices = (
        Choice(key="wd:yes", label="rounds.withdraw_yes"),
        Choice(key="wd:no", label="rounds.keep_entry"),
    )
    return [Reply(template="rounds/withdraw_confirm", context=context, choices=choices)]


@flow.answer(Rounds.WITHDRAW)
async def withdraw(turn: Turn) -> list[Reply]:
    """Withdraw the entered product before the dossier deadline, or keep it."""
    if turn.choice != "wd:yes":
        return await turn.goto(Rounds.DEADLINES)
    found = await _own_entry(turn, turn.data.get("entry_id"))
    if isinstance(found, Reply):
        return [found, *await turn.goto(Rounds.DEADLINES)]
    entry, rnd = found
    await turn.store.rounds.withdraw(entry.id, turn.now)
    context = {
        "product": entry.product_name,
        "round": round_context(rnd, turn.now, turn.config.zone),
    }
    return [
        Reply(template="rounds/withdrawn", context=context),
        *await turn.goto(Rounds.DEADLINES),
    ]


@flow.ask(Rounds.PICK_PRODUCT)
async def pick_product(turn: Turn) -> list[Reply]:
    """Offer the producer's submitted products not yet in a round."""
    assert turn.user.producer_id is not None
    products = await turn.store.rounds.products_of(turn.user.producer_id)
    free = [
        p
        for p in products
        if p.status in ENTERABLE and await turn.store.rounds.active_round_of(p.id) is None
    ]
    if not free:
        return [Reply(template="rounds/no_product_to_enter"), *await turn.goto(Rounds.DEADLINES)]
    rnd = await turn.store.rounds.get(turn.data["round_id"])
    choices = (
        *(Choice(key=f"p:{p.id}", text=p.name) for p in free),
        Choice(key="p:back", label="common.back"),
    )
    return [
        Reply(
            template="rounds/ask_product",
            context={"name": rnd.name if rnd else ""},
            choices=choices,
        )
    ]


@flow.answer(Rounds.PICK_PRODUCT)
async def enter(turn: Turn) -> list[Reply]:
    """Enter the picked product, checking the deadline, ownership, status and kind."""
    if turn.choice == "p:back":
        return await turn.goto(Rounds.DEADLINES)
    found = await _round_for_entering(turn, turn.data["round_id"])
    if isinstance(found, Reply):
        return [found, *await turn.goto(Rounds.DEADLINES)]
    product = await turn.store.rounds.product(int(turn.choice_arg))
    if product is None or product.producer_id != turn.user.producer_id:
        return await turn.again(Reply(template="rounds/not_found"))
    context = {"product": product.name, "round": round_context(found, turn.now, turn.config.zone)}
    if product.status not in ENTERABLE:
        return await turn.again(Reply(template="rounds/product_not_ready", context=context))
    if await turn.store.rounds.active_round_of(product.id) is not None:
        return await turn.again(Reply(template="rounds/already_entered", context=context))
    if product.kind is not None and product.kind not in found.kinds:
        return await turn.again(Reply(template="rounds/kind_not_taken", context=context))
    await turn.store.rounds.enter(found.id, product, turn.now)
    return [
        Reply(template="rounds/entered", context=context),
        *await turn.goto(Rounds.DEADLINES),
    ]
