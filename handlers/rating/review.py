"""Officers: the review queue of their province; open a dossier, accept it or return it."""

from __future__ import annotations

from datetime import datetime

from handlers.account.steps import Officer
from handlers.assessment.officer import self_score
from handlers.common.access import officer_scope
from handlers.common.notify import notify_producer
from handlers.common.rules import under_old_rules
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.products.common import (
    checklist_lines,
    dossier_progress,
    officer_may,
    product_context,
)
from handlers.rating.steps import Results, Review
from messages import Renderer
from messages.text import display_length, has_letters_or_digits
from storage import Store
from storage.models import Role
from storage.places import written_apart
from storage.product_models import Product, ProductStatus

flow = Flow("review", role=Role.OFFICER)
flow.command("tiepnhan", Review.QUEUE)  # "tiếp nhận hồ sơ", the word officers are shown
flow.command("duyet", Review.QUEUE)  # the earlier word, still understood

QUEUE_LIMIT = 20
NOTE_LIMIT = 1000


async def _pending(turn: Turn) -> Product | None:
    """The product under review, if this officer may act on it and it still waits."""
    pid = turn.data.get("pid")
    product = await turn.store.products.get(int(pid)) if pid is not None else None
    if product is None or not await officer_may(turn, product.id):
        return None
    return product if product.status is ProductStatus.SUBMITTED else None


async def _refuse(turn: Turn, action: str) -> list[Reply]:
    await turn.store.audit.record(
        turn.user.address,
        "denied",
        turn.now,
        subject=f"review.{action}",
        details={"product": turn.data.get("pid") or turn.choice_arg},
    )
    return [Reply(template="review/not_available"), *await turn.goto(Review.QUEUE)]


@flow.ask(Review.QUEUE)
async def queue(turn: Turn) -> list[Reply]:
    """Submitted dossiers of the officer's province, oldest first."""
    scope = officer_scope(turn)
    waiting = await turn.store.products.in_status(ProductStatus.SUBMITTED, scope, QUEUE_LIMIT)
    to_rate = await turn.store.products.count_in_status(ProductStatus.ACCEPTED, scope)
    choices = [
        Choice(key=f"r:{p.id}", label="review.queue_item", context={"id": p.id, "name": p.name})
        for p in waiting
    ]
    choices.append(Choice(key="rq:res", label="review.to_results", context={"count": to_rate}))
    choices.append(Choice(key="rq:back", label="common.back"))
    count = await turn.store.products.count_in_status(ProductStatus.SUBMITTED, scope)
    context = {"count": count, "to_rate": to_rate}
    return [Reply(template="review/queue", context=context, choices=tuple(choices))]


@flow.answer(Review.QUEUE)
async def pick(turn: Turn) -> list[Reply]:
    """Open the picked dossier (only of the officer's province)."""
    if turn.choice == "rq:back":
        return await turn.goto(Officer.MAIN)
    if turn.choice == "rq:res":
        return await turn.goto(Results.PICK, via="review")
    turn.data["pid"] = turn.choice_arg
    if await _pending(turn) is None:
        return await _refuse(turn, "open")
    return await turn.goto(Review.OPEN, pid=int(turn.choice_arg))


@flow.ask(Review.OPEN)
async def open_dossier(turn: Turn) -> list[Reply]:
    """Show the answers, the photos and the checklist, with accept and return."""
    product = await _pending(turn)
    if product is None:
        return await _refuse(turn, "open")
    producer = await turn.store.users.producer(product.producer_id)
    assert producer is not None
    items, marks, done, total = await dossier_progress(turn, product)
    context = {
        "product": await product_context(turn, product),
        "producer": {
            "name": producer.name,
            "contact": producer.contact_person,
            "phone": producer.phone,
            "commune": producer.commune,
            "written": written_apart(producer.commune, producer.commune_typed),
        },
        "items": checklist_lines(turn, items, marks),
        "done": done,
        "total": total,
        "self_score": await self_score(turn.store, product) or {},
        "old_rules": await under_old_rules(turn.store, product.submitted_at, turn.config.zone),
    }
    photos = [
        Reply(template="review/photo", context={"n": n, "name": product.name}, photo=p.file_id)
        for n, p in enumerate(await turn.store.products.photos(product.id), start=1)
        if p.channel == turn.user.channel and not turn.data.get("seen")
    ]
    turn.data["seen"] = True  # the photos once per opening, not again after each action
    files = [how for how in marks.values() if how == "file"]
    choices = (
        *(
            (Choice(key="ra:files", label="review.files", context={"n": len(files)}),)
            if files
            else ()
        ),
        Choice(key="ra:ok", label="review.accept"),
        Choice(key="ra:ret", label="review.return"),
        Choice(key="ra:back", label="review.back_to_queue"),
    )
    return [*photos, Reply(template="review/open", context=context, choices=choices)]


async def _evidence(turn: Turn, product: Product) -> list[Reply]:
    """The dossier files the producer sent: images shown, other files listed."""
    items, _, _, _ = await dossier_progress(turn, product)
    marks = await turn.store.products.marks(product.id)
    replies = []
    for item in items:
        mark = marks.get(item.code)
        if mark is None or mark.how != "file" or mark.file_id is None:
            continue
        context = {"name": item.name(turn.locale), "shown": False}
        if mark.channel == turn.user.channel and (mark.mime or "").startswith("image/"):
            replies.append(
                Reply(
                    template="review/evidence",
                    context={**context, "shown": True},
                    photo=mark.file_id,
                )
            )
        else:
            replies.append(Reply(template="review/evidence", context=context))
    return replies


@flow.answer(Review.OPEN)
async def decide(turn: Turn) -> list[Reply]:
    """Accept the dossier, or ask for the note to return it with."""
    if turn.choice == "ra:back":
        return await turn.goto(Review.QUEUE)
    product = await _pending(turn)
    if product is None:
        return await _refuse(turn, "decide")
    if turn.choice == "ra:files":
        return await turn.again(*await _evidence(turn, product))
    if turn.choice == "ra:ret":
        return await turn.goto(Review.NOTE, pid=product.id)
    await accept(turn.store, turn.renderer, turn.user.address, product, turn.now)
    reply = Reply(template="review/accepted", context={"name": product.name, "id": product.id})
    return [reply, *await turn.goto(Review.QUEUE)]


@flow.ask(Review.NOTE)
async def ask_note(turn: Turn) -> list[Reply]:
    """Ask what the producer must fix."""
    product = await _pending(turn)
    if product is None:
        return await _refuse(turn, "note")
    choices = (Choice(key="rn:cancel", label="review.cancel_return"),)
    context = {"name": product.name, "limit": NOTE_LIMIT}
    return [Reply(template="review/ask_note", context=context, choices=choices)]


@flow.answer(Review.NOTE, accepts=TEXT, digits_are_text=True)
async def return_dossier(turn: Turn) -> list[Reply]:
    """Return the dossier to the producer with the officer's note."""
    product = await _pending(turn)
    if product is None:
        return await _refuse(turn, "return")
    if turn.choice == "rn:cancel":
        return await turn.goto(Review.OPEN, pid=product.id)
    problem = note_problem(turn.text)
    if problem is not None:
        return await turn.again(problem)
    await give_back(turn.store, turn.renderer, turn.user.address, product, turn.text, turn.now)
    reply = Reply(template="review/returned", context={"name": product.name, "id": product.id})
    return [reply, *await turn.goto(Review.QUEUE)]


def note_problem(note: str) -> Reply | None:
    """Why a return note cannot be used (too short, no words, too long), or None."""
    if not has_letters_or_digits(note) or display_length(note) < 3:
        return Reply(template="products/need_text")
    if display_length(note) > NOTE_LIMIT:
        context = {"limit": NOTE_LIMIT, "length": display_length(note)}
        return Reply(template="products/too_long", context=context)
    return None


async def accept(
    store: Store, renderer: Renderer, actor: str, product: Product, now: datetime
) -> None:
    """Accept a submitted dossier: status, history, audit, and the producer told in chat.
    A dossier still at its commune is taken over: the province did the commune's step."""
    if (at_commune := await store.communes.open_for(product.id)) is not None:
        await store.communes.decide(at_commune.id, "forwarded", actor, now)
    await store.products.set_status(product.id, ProductStatus.ACCEPTED, now)
    event = await store.products.add_event(product.id, "accepted", actor, now)
    await store.audit.record(actor, "product_accepted", now, subject=f"product:{product.id}")
    await notify_producer(
        store,
        renderer,
        product.producer_id,
        "review/notice_accepted",
        {"name": product.name, "id": product.id},
        kind="notice",
        dedupe_key=f"review:{product.id}:{event}",
        now=now,
    )


async def give_back(
    store: Store, renderer: Renderer, actor: str, product: Product, note: str, now: datetime
) -> None:
    """Return a dossier with the officer's note: status, history, audit, producer told."""
    if (at_commune := await store.communes.open_for(product.id)) is not None:
        await store.communes.decide(at_commune.id, "returned", actor, now)
    await store.products.set_status(product.id, ProductStatus.RETURNED, now)
    event = await store.products.add_event(product.id, "returned", actor, now, note=note)
    await store.audit.record(
        actor, "product_returned", now, subject=f"product:{product.id}", details={"note": note}
    )
    await notify_producer(
        store,
        renderer,
        product.producer_id,
        "review/notice_returned",
        {"name": product.name, "id": product.id, "note": note},
        kind="notice",
        dedupe_key=f"review:{product.id}:{event}",
        now=now,
    )
