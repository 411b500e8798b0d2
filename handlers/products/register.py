"""/dangky: register a product step by step; every answer is saved at once in a draft product."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.engine.events import Choice, Reply
from handlers.engine.pause import saved_as_given
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.products.common import APPLICATIONS, Refused, owned_product
from handlers.products.questions import (
    QUESTION_STEPS,
    gone,
    next_question,
    progress,
    this_product,
)
from handlers.products.steps import Products
from messages.text import display_length, has_letters_or_digits
from storage.product_models import EDITABLE, Product, ProductStatus

flow = Flow("products", needs_profile=True)
flow.command("dangky", Products.REGISTER, listed=8)

NAME_LIMIT = 200
for _step in (*QUESTION_STEPS.values(), Products.SUMMARY):
    saved_as_given(_step)  # leaving keeps the draft product: "làm tiếp" comes back to it


@dataclass(frozen=True)
class TextField:
    """A registration answer typed as text: its step, column and length limit."""

    step: str
    column: str
    limit: int
    digits_are_text: bool = False


TEXT_FIELDS = (
    TextField("cert", "current_certificate", 60, digits_are_text=True),
    TextField("desc", "description", 1000),
    TextField("material", "raw_material", 300),
    TextField("origin", "origin", 300),
)








async def _reload(turn: Turn) -> Product:
    product = await this_product(turn)
    assert product is not None
    return product








def _check_text(text: str, limit: int) -> str:
    if not text or not has_letters_or_digits(text) or display_length(text) < 2:
        raise Refused(Reply(template="products/need_text"))
    if display_length(text) > limit:
        context = {"limit": limit, "length": display_length(text)}
        raise Refused(Reply(template="products/too_long", context=context))
    return text


@flow.ask(Products.REGISTER)
async def register(turn: Turn) -> list[Reply]:
    """Offer to continue an unfinished registration, or start a new one."""
    assert turn.user.producer_id is not None
    drafts = await turn.store.products.drafts_of(turn.user.producer_id)
    if not drafts:
        return await turn.goto(Products.NAME)
    if turn.data.get("resume"):  # "làm tiếp": the draft touched last, where it was left
        return await next_question(turn, drafts[0])
    choices = (
        *(
            Choice(key=f"r:{d.id}", label="products.continue", context={"name": d.name})
            for d in drafts[:5]
        ),
        Choice(key="r:new", label="products.start_new"),
    )
    context = {"count": len(drafts), "names": [d.name for d in drafts[:5]]}
    return [Reply(template="products/resume", context=context, choices=choices)]


@flow.answer(Products.REGISTER)
async def pick_draft(turn: Turn) -> list[Reply]:
    """Continue the picked draft, or start a new product."""
    if turn.choice == "r:new":
        return await turn.goto(Products.NAME)
    product = await owned_product(turn, turn.choice_arg)
    if product is None or product.status is not ProductStatus.DRAFT:
        return await gone(turn)
    return await next_question(turn, product)


@flow.ask(Products.NAME)
async def ask_name(turn: Turn) -> list[Reply]:
    """Ask for the product's name."""
    product = await this_product(turn)
    context = {"current": product.name if product else "", "limit": NAME_LIMIT}
    return [progress(turn, product, "name"), Reply(template="products/ask_name", context=context)]


@flow.answer(Products.NAME, accepts=TEXT, digits_are_text=True)
async def take_name(turn: Turn) -> list[Reply]:
    """Save the name (creating the draft on the first answer)."""
    try:
        name = _check_text(turn.text, NAME_LIMIT)
    except Refused as refused:
        return await turn.again(refused.reply)
    product = await this_product(turn)
    if product is None:
        assert turn.user.producer_id is not None
        pid = await turn.store.products.create_draft(turn.user.producer_id, turn.now)
        await turn.store.products.add_event(pid, "created", turn.user.address, turn.now)
        turn.data["pid"] = pid
    elif product.status not in EDITABLE:
        return await next_question(turn, product)
    await turn.store.products.set_field(turn.data["pid"], "name", name, turn.now)
    return await next_question(turn, await _reload(turn))


@flow.ask(Products.GROUP)
async def ask_group(turn: Turn) -> list[Reply]:
    """Ask for the product group (6 short choices)."""
    product = await this_product(turn)
    if product is None:
        return await gone(turn)
    groups = await turn.store.catalog.groups()
    choices = tuple(Choice(key=f"g:{g.code}", text=g.name(turn.locale)) for g in groups)
    return [
        progress(turn, product, "group"),
        Reply(template="products/ask_group", context={"name": product.name}, choices=choices),
    ]


@flow.answer(Products.GROUP)
async def take_group(turn: Turn) -> list[Reply]:
    """Save the group; a set of another group is cleared."""
    product = await this_product(turn)
    if product is None or product.status not in EDITABLE:
        return await gone(turn)
    group = await turn.store.catalog.group(turn.choice_arg)
    if group is None:
        return await turn.again(Reply(template="errors/pick_a_choice"))
    await turn.store.products.set_field(product.id, "group_code", group.code, turn.now)
    pset = await turn.store.catalog.product_set(product.set_code)
    if pset is None or pset.group_code != group.code:
        await turn.store.products.set_field(product.id, "set_code", None, turn.now)
    return await next_question(turn, await _reload(turn))


@flow.ask(Products.SET)
async def ask_set(turn: Turn) -> list[Reply]:
    """Ask for the product set within the group."""
    product = await this_product(turn)
    if product is None:
        return await gone(turn)
    sets = await turn.store.catalog.sets(product.group_code)
    choices = (
        *(Choice(key=f"s:{s.code}", text=s.name(turn.locale)) for s in sets),
        Choice(key="s:back", label="products.other_group"),
    )
    group = await turn.store.catalog.group(product.group_code)
    context = {"group": group.name(turn.locale) if group else ""}
    return [
        progress(turn, product, "set"),
        Reply(template="products/ask_set", context=context, choices=choices),
    ]


@flow.answer(Products.SET)
async def take_set(turn: Turn) -> list[Reply]:
    """Save the product set."""
    product = await this_product(turn)
    if product is None or product.status not in EDITABLE:
        return await gone(turn)
    if turn.choice == "s:back":
        return await turn.goto(Products.GROUP, pid=product.id, editing=turn.data.get("editing"))
    pset = await turn.store.catalog.product_set(turn.choice_arg)
    if pset is None or pset.group_code != product.group_code:
        return await turn.again(Reply(template="errors/pick_a_choice"))
    await turn.store.products.set_field(product.id, "set_code", pset.code, turn.now)
    return await next_question(turn, await _reload(turn))


@flow.ask(Products.KIND)
async def ask_kind(turn: Turn) -> list[Reply]:
    """Ask whether this is a first rating, a re-rating or an upgrade."""
    product = await this_product(turn)
    choices = tuple(Choice(key=f"k:{kind}", label=f"product_kind.{kind}") for kind in APPLICATIONS)
    return [progress(turn, product, "kind"), Reply(template="products/ask_kind", choices=choices)]


@flow.answer(Products.KIND)
async def take_kind(turn: Turn) -> list[Reply]:
    """Save the application kind (a first rating needs no current certificate)."""
    product = await this_product(turn)
    if product is None or product.status not in EDITABLE or turn.choice_arg not in APPLICATIONS:
        return await gone(turn)
    await turn.store.products.set_field(product.id, "application", turn.choice_arg, turn.now)
    if turn.choice_arg == "first":
        await turn.store.products.set_field(product.id, "current_stars", None, turn.now)
        await turn.store.products.set_field(product.id, "current_certificate", None, turn.now)
    elif turn.data.get("editing"):
        return await turn.goto(Products.STARS, pid=product.id, editing=True)
    return await next_question(turn, await _reload(turn))


@flow.ask(Products.STARS)
async def ask_stars(turn: Turn) -> list[Reply]:
    """Ask how many stars the product has now."""
    product = await this_product(turn)
    if product is None:
        return await gone(turn)
    top = 4 if product.application == "upgrade" else 5
    choices = tuple(
        Choice(key=f"st:{n}", label="products.stars", context={"n": n}) for n in range(3, top + 1)
    )
    return [
        progress(turn, product, "stars"),
        Reply(template="products/ask_stars", choices=choices),
    ]


@flow.answer(Products.STARS)
async def take_stars(turn: Turn) -> list[Reply]:
    """Save the current stars."""
    product = await this_product(turn)
    if product is None or product.status not in EDITABLE or turn.choice_arg not in "345":
        return await gone(turn)
    await turn.store.products.set_field(
        product.id, "current_stars", int(turn.choice_arg), turn.now
    )
    if turn.data.get("editing"):
        return await turn.goto(Products.CERT, pid=product.id, editing=True)
    return await next_question(turn, await _reload(turn))


def _text_steps(field: TextField) -> None:
    """Register the step that asks one typed answer."""

    @flow.ask(QUESTION_STEPS[field.step])
    async def ask(turn: Turn) -> list[Reply]:
        product = await this_product(turn)
        if product is None:
            return await gone(turn)
        current = getattr(product, field.column) or ""
        context = {"current": current, "limit": field.limit}
        return [
            progress(turn, product, field.step),
            Reply(template=f"products/ask_{field.step}", context=context),
        ]

    @flow.answer(
        QUESTION_STEPS[field.step], accepts=TEXT, digits_are_text=field.digits_are_text
    )
    async def answer(turn: Turn) -> list[Reply]:
        product = await this_product(turn)
        if product is None or product.status not in EDITABLE:
            return await gone(turn)
        try:
            value = _check_text(turn.text, field.limit)
        except Refused as refused:
            return await turn.again(refused.reply)
        await turn.store.products.set_field(product.id, field.column, value, turn.now)
        return await next_question(turn, await _reload(turn))


for _field in TEXT_FIELDS:
    _text_steps(_field)
