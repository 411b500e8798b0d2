"""The dossier checklist of a product: mark items ready by a photo or file, or on paper."""

from __future__ import annotations

from handlers.account.steps import Menu
from handlers.assessment.steps import Assessment
from handlers.engine.events import Choice, InputKind, Reply
from handlers.engine.turn import FILES, Flow, Turn
from handlers.products.common import (
    Refused,
    checked_file,
    checklist_lines,
    dossier_progress,
    owned_product,
)
from handlers.products.dossier_photo import PENDING, file_at_checklist, pending_for
from handlers.products.steps import Dossier, Products
from storage.product_models import DOSSIER_OPEN, DossierItem, Product

flow = Flow("dossier", needs_profile=True)
# The checklist takes a photo or file too (sent while it shows), but no typed answer.
CHOICES_AND_FILES = frozenset({InputKind.CHOICE, InputKind.PHOTO, InputKind.DOCUMENT})

BACK_STEPS = (Products.SUMMARY, Products.VIEW, Assessment.START)
SELF_ASSESSMENT = "self_assess"
_ITEM_LABELS = {
    "file": "dossier.item_done",
    "paper": "dossier.item_paper",
    "": "dossier.item_missing",
}


def _label(item: DossierItem, how: str) -> str:
    """An item's line in the checklist: its state, a thing prepared shown as such."""
    if how == "paper" and item.physical:
        return "dossier.item_prepared"
    return _ITEM_LABELS[how]


async def _product(turn: Turn) -> Product | None:
    return await owned_product(turn, turn.data.get("pid"))


def _back(turn: Turn) -> str:
    back = turn.data.get("back")
    return back if back in BACK_STEPS else Products.VIEW


async def _closed(turn: Turn, product: Product | None) -> list[Reply]:
    if product is None:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    return [Reply(template="dossier/locked"), *await turn.goto(Products.VIEW, pid=product.id)]


@flow.ask(Dossier.CHECKLIST)
async def checklist(turn: Turn) -> list[Reply]:
    """Show every item with its state, the progress and what is still missing."""
    product = await _product(turn)
    if product is None or product.status not in DOSSIER_OPEN:
        return await _closed(turn, product)
    items, marks, done, total = await dossier_progress(turn, product)
    lines = checklist_lines(turn, items, marks)
    missing = [item for item in items if item.code not in marks and not item.optional]
    context = {
        "name": product.name,
        "items": lines,
        "done": done,
        "total": total,
        "missing": [item.name(turn.locale) for item in missing],
    }
    # Each item is listed once, as a choice; what is still missing comes first, the next one
    # to do on top, so the screen stays short and starts with what to do.
    ordered = [*missing, *(item for item in items if item not in missing)]
    choices = (
        *(
            Choice(
                key=f"i:{item.code}",
                label=_label(item, marks.get(item.code, "")),
                context={"name": item.name(turn.locale)},
            )
            for item in ordered
        ),
        Choice(key="i:back", label="common.back"),
    )
    return [Reply(template="dossier/checklist", context=context, choices=choices)]


@flow.answer(Dossier.CHECKLIST, accepts=CHOICES_AND_FILES)
async def open_item(turn: Turn) -> list[Reply]:
    """Open the picked item, or go back; a file sent here goes to the item it fits."""
    product = await _product(turn)
    if product is None or product.status not in DOSSIER_OPEN:
        return await _closed(turn, product)
    if turn.choice == "i:back":
        turn.data.pop(PENDING, None)
        return await turn.goto(_back(turn), pid=product.id)
    items, _, _, _ = await dossier_progress(turn, product)
    if turn.event.attachment is not None:
        return await file_at_checklist(turn, product, items, _back(turn))
    found = next((i for i in items if i.code == turn.choice_arg), None)
    if found is None:
        return await turn.again(Reply(template="errors/pick_a_choice"))
    if (put := await pending_for(turn, product, found, _back(turn))) is not None:
        return put
    return await turn.goto(Dossier.ITEM, pid=product.id, item=found.code, back=_back(turn))


@flow.ask(Dossier.ITEM)
async def item(turn: Turn) -> list[Reply]:
    """Explain one item and ask for a photo or file of it, or 'on paper'."""
    product = await _product(turn)
    if product is None or product.status not in DOSSIER_OPEN:
        return await _closed(turn, product)
    items, marks, _, _ = await dossier_progress(turn, product)
    found = next((i for i in items if i.code == turn.data.get("item")), None)
    if found is None:
        return await turn.goto(Dossier.CHECKLIST, pid=product.id, back=_back(turn))
    choices = [Choice(key="m:paper", label="dossier.prepared" if found.physical
                      else "dossier.on_paper")]
    if found.code in marks:
        choices.append(Choice(key="m:clear", label="dossier.clear"))
    if found.code == SELF_ASSESSMENT:  # the report is made by scoring the product by chat
        choices.append(Choice(key="m:assess", label="assessment.menu_item"))
    choices.append(Choice(key="m:back", label="dossier.back_to_list"))
    context = {
        "name": found.name(turn.locale),
        "explain": found.explain(turn.locale),
        "how": marks.get(found.code, ""),
        "physical": found.physical,
    }
    return [Reply(template="dossier/item", context=context, choices=tuple(choices))]


@flow.answer(Dossier.ITEM, accepts=FILES)
async def mark(turn: Turn) -> list[Reply]:
    """Mark the item ready (a file, or on paper), clear it, or go back to the list."""
    product = await _product(turn)
    if product is None or product.status not in DOSSIER_OPEN:
        return await _closed(turn, product)
    code = str(turn.data.get("item"))
    items, _, _, _ = await dossier_progress(turn, product)
    found = next((i for i in items if i.code == code), None)
    back = {"pid": product.id, "back": _back(turn)}
    if found is None or turn.choice == "m:back":
        return await turn.goto(Dossier.CHECKLIST, **back)
    if turn.choice == "m:assess":
        return await turn.goto(Assessment.START, pid=product.id)
    if turn.choice == "m:clear":
        await turn.store.products.unmark_item(product.id, code)
        return [
            Reply(template="dossier/cleared", context={"name": found.name(turn.locale)}),
            *await turn.goto(Dossier.CHECKLIST, **back),
        ]
    if turn.choice == "m:paper":
        await turn.store.products.mark_item(product.id, code, "paper", turn.now)
    elif turn.event.attachment is not None:
        try:
            attachment, mime = checked_file(turn, allow_pdf=True)
        except Refused as refused:
            return await turn.again(refused.reply)
        await turn.store.products.mark_item(
            product.id, code, "file", turn.now, turn.user.channel, attachment.file_id, mime
        )
    else:
        return await turn.again(Reply(template="dossier/file_expected"))
    _, _, done, total = await dossier_progress(turn, product)
    context = {"name": found.name(turn.locale), "done": done, "total": total}
    return [
        Reply(template="dossier/marked", context=context),
        *await turn.goto(Dossier.CHECKLIST, **back),
    ]
