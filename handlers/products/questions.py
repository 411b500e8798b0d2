"""The questions of a product registration: their order, which apply, and which comes next."""

from __future__ import annotations

from handlers.account.steps import Menu
from handlers.engine.events import Reply
from handlers.engine.turn import Turn
from handlers.products.common import owned_product
from handlers.products.steps import Products
from storage.product_models import EDITABLE, Product

ORDER = ("name", "group", "set", "kind", "stars", "cert", "desc", "material", "origin", "photos")
QUESTION_STEPS = {  # the step that asks each question of ORDER
    "name": Products.NAME,
    "group": Products.GROUP,
    "set": Products.SET,
    "kind": Products.KIND,
    "stars": Products.STARS,
    "cert": Products.CERT,
    "desc": Products.DESC,
    "material": Products.MATERIAL,
    "origin": Products.ORIGIN,
    "photos": Products.PHOTOS,
}


def applies(product: Product | None, step: str) -> bool:
    """Whether a question is asked: stars and certificate only for re-rating and upgrade."""
    if step in ("stars", "cert"):
        return product is not None and product.application in ("rerating", "upgrade")
    return True


def missing(product: Product, step: str) -> bool:
    values = {
        "name": product.name,
        "group": product.group_code,
        "set": product.set_code,
        "kind": product.application,
        "stars": product.current_stars,
        "cert": product.current_certificate,
        "desc": product.description,
        "material": product.raw_material,
        "origin": product.origin,
    }
    return step in values and not values[step]


async def this_product(turn: Turn) -> Product | None:
    pid = turn.data.get("pid")
    return None if pid is None else await owned_product(turn, pid)


async def gone(turn: Turn) -> list[Reply]:
    return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]


async def next_question(turn: Turn, product: Product) -> list[Reply]:
    """Ask the first unanswered question, or show the summary."""
    if product.status not in EDITABLE:
        return [Reply(template="products/not_editable"), *await turn.goto(Menu.MAIN)]
    editing = bool(turn.data.get("editing"))
    for step in ORDER:
        if applies(product, step) and missing(product, step):
            return await turn.goto(QUESTION_STEPS[step], pid=product.id, editing=editing)
    if (
        not editing
        and not turn.data.get("photos_seen")
        and not await turn.store.products.photos(product.id)
        and not await _photos_skipped(turn, product)
    ):
        return await turn.goto(Products.PHOTOS, pid=product.id)
    return await turn.goto(Products.SUMMARY, pid=product.id)


async def _photos_skipped(turn: Turn, product: Product) -> bool:
    """Whether the producer skipped the photos once (they are not asked again)."""
    return any(e.kind == "photos_skipped" for e in await turn.store.products.events(product.id))


def progress(turn: Turn, product: Product | None, step: str) -> Reply:
    steps = [s for s in ORDER if applies(product, s)]
    position = steps.index(step) + 1 if step in steps else 1
    return Reply(template="products/progress", context={"position": position, "total": len(steps)})
