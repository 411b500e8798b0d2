"""/dangky, last part: product photos, the summary with edits, and submitting."""

from __future__ import annotations

from handlers.account.steps import Menu
from handlers.common.commune import route_to_commune
from handlers.common.notify import notify_user
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import FILES, Turn
from handlers.products.common import Refused, checked_file, dossier_progress, product_context
from handlers.products.questions import (
    ORDER,
    QUESTION_STEPS,
    applies,
    gone,
    missing,
    next_question,
    progress,
    this_product,
)
from handlers.products.register import flow
from handlers.products.steps import Dossier, Products
from storage.product_models import EDITABLE, Product, ProductStatus

MAX_PHOTOS = 5


def _photo_choices(count: int) -> tuple[Choice, ...]:
    done = Choice(key="ph:done", label="products.photos_done" if count else "products.photos_skip")
    return (done, Choice(key="ph:clear", label="products.photos_clear")) if count else (done,)


@flow.ask(Products.PHOTOS)
async def ask_photos(turn: Turn) -> list[Reply]:
    """Ask for 1–5 photos of the product (optional)."""
    product = await this_product(turn)
    if product is None:
        return await gone(turn)
    count = len(await turn.store.products.photos(product.id))
    context = {"count": count, "max": MAX_PHOTOS}
    return [
        progress(turn, product, "photos"),
        Reply(template="products/ask_photos", context=context, choices=_photo_choices(count)),
    ]


@flow.answer(Products.PHOTOS, accepts=FILES)
async def take_photo(turn: Turn) -> list[Reply]:
    """Keep a photo; 'done' or 'skip' moves on, 'clear' starts the photos again."""
    product = await this_product(turn)
    if product is None or product.status not in EDITABLE:
        return await gone(turn)
    turn.data["photos_seen"] = True
    if turn.choice == "ph:clear":
        await turn.store.products.clear_photos(product.id)
        return await turn.again()
    if turn.choice == "ph:done":
        if not await turn.store.products.photos(product.id):  # skipped: not asked again
            await turn.store.products.add_event(
                product.id, "photos_skipped", turn.user.address, turn.now
            )
        return await turn.goto(Products.SUMMARY, pid=product.id)
    if turn.event.attachment is None:
        return await turn.again(Reply(template="products/photo_expected"))
    count = len(await turn.store.products.photos(product.id))
    if count >= MAX_PHOTOS:
        return await turn.again(
            Reply(template="products/photos_full", context={"max": MAX_PHOTOS})
        )
    try:
        attachment, mime = checked_file(turn, allow_pdf=False)
    except Refused as refused:
        return await turn.again(refused.reply)
    count = await turn.store.products.add_photo(
        product.id, turn.user.channel, attachment.file_id, mime, attachment.size, turn.now
    )
    context = {"count": count, "max": MAX_PHOTOS}
    if count >= MAX_PHOTOS:
        return [
            Reply(template="products/photo_saved", context=context),
            *await turn.goto(Products.SUMMARY, pid=product.id),
        ]
    return [Reply(template="products/photo_saved", context=context, choices=_photo_choices(count))]


SHOWN_MISSING = 3  # missing items named on the summary; the rest are counted
EDIT_STEPS = ("name", "group", "kind", "desc", "material", "origin", "photos")


@flow.ask(Products.SUMMARY)
async def summary(turn: Turn) -> list[Reply]:
    """Show every answer with the dossier progress; submit, edit a field, or finish later."""
    product = await this_product(turn)
    if product is None:
        return await gone(turn)
    if product.status not in EDITABLE:
        return [Reply(template="products/not_editable"), *await turn.goto(Menu.MAIN)]
    items, marks, done, total = await dossier_progress(turn, product)
    missing_items = [i.name(turn.locale) for i in items if i.code not in marks and not i.optional]
    context = {
        "product": await product_context(turn, product),
        "done": done,
        "total": total,
        # What is still missing is said before the dossier is sent (short: the first few).
        "missing": missing_items[:SHOWN_MISSING],
        "more": max(0, len(missing_items) - SHOWN_MISSING),
        "note": await turn.store.products.last_note(product.id, "returned")
        if product.status is ProductStatus.RETURNED
        else "",
    }
    choices = (
        Choice(key="sm:ok", label="products.submit"),
        Choice(key="sm:chk", label="products.checklist", context={"done": done, "total": total}),
        *(Choice(key=f"sm:{step}", label=f"products.edit_{step}") for step in EDIT_STEPS),
        Choice(key="sm:later", label="products.later"),
    )
    return [Reply(template="products/summary", context=context, choices=choices)]


@flow.answer(Products.SUMMARY)
async def take_summary(turn: Turn) -> list[Reply]:
    """Submit, open the checklist, or go back to a field."""
    product = await this_product(turn)
    if product is None or product.status not in EDITABLE:
        return await gone(turn)
    action = turn.choice_arg
    if action == "later":
        return [Reply(template="products/saved_for_later"), *await turn.goto(Menu.MAIN)]
    if action == "chk":
        return await turn.goto(Dossier.CHECKLIST, pid=product.id, back=Products.SUMMARY)
    if action in EDIT_STEPS:
        return await turn.goto(QUESTION_STEPS[action], pid=product.id, editing=True)
    unanswered = [s for s in ORDER[:-1] if applies(product, s) and missing(product, s)]
    if unanswered:
        turn.data["editing"] = False
        return [Reply(template="products/incomplete"), *await next_question(turn, product)]
    return await _submit(turn, product)


async def _next_round(turn: Turn, product: Product) -> dict[str, object] | None:
    """The province's round this product can still be entered in, if one is announced."""
    producer = await turn.store.users.producer(product.producer_id)
    if producer is None:
        return None
    entered = await turn.store.rounds.active_round_of(product.id)
    if entered is not None and (rnd := await turn.store.rounds.get(entered)) is not None:
        return {"name": rnd.name, "entered": True}  # in the round already: nothing to do
    for rnd in await turn.store.rounds.current(producer.province_code, turn.now):
        if rnd.registration_deadline > turn.now:
            return {"name": rnd.name, "deadline": rnd.registration_deadline,
                    "open": rnd.registration_opens_at <= turn.now,
                    "opens": rnd.registration_opens_at}
    return None


async def _submit(turn: Turn, product: Product) -> list[Reply]:
    """Send the dossier to the officers, and say what comes next."""
    kind = "resubmitted" if product.status is ProductStatus.RETURNED else "submitted"
    await turn.store.products.set_status(product.id, ProductStatus.SUBMITTED, turn.now)
    event = await turn.store.products.add_event(product.id, kind, turn.user.address, turn.now)
    producer = await turn.store.users.producer(product.producer_id)
    at_commune = await route_to_commune(turn.store, turn.renderer, product, producer, event,
                                        turn.now, turn.config.zone) if producer else None
    if at_commune is None:  # no commune officer on the bot: the province does the step
        await _tell_officers(turn, product, kind, event)
    _, _, done, total = await dossier_progress(turn, product)
    commune = {"name": at_commune.commune, "due_on": at_commune.due_on,
               "days": await turn.store.rules.number("commune_working_days")} if at_commune \
        else None
    context = {"name": product.name, "id": product.id, "done": done, "total": total,
               "next_round": await _next_round(turn, product), "commune": commune}
    return [
        Reply(template="products/submitted", context=context),
        *await turn.goto(Products.VIEW, pid=product.id),
    ]


async def _tell_officers(turn: Turn, product: Product, kind: str, event: int) -> None:
    """Let the officers of the producer's province know a dossier waits for review."""
    producer = await turn.store.users.producer(product.producer_id)
    if producer is None:
        return
    context = {"name": product.name, "id": product.id, "producer": producer.name,
               "commune": producer.commune, "resubmitted": kind == "resubmitted"}
    for officer in await turn.store.users.officers_of(producer.province_code):
        await notify_user(
            turn.store, turn.renderer, officer, "review/notice_new_dossier", context,
            kind="notice", dedupe_key=f"review:{product.id}:{event}:officer:{officer.id}",
            now=turn.now, about_producer=producer.id,
        )
