"""Officers: `/masanpham` types a certified product's OCOP product code `(T)-(X)-(STT)-năm`;
its shape is checked and it is used by one product only."""

from __future__ import annotations

from datetime import datetime

from handlers.account.steps import Officer
from handlers.common.product_code import read_product_code
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from handlers.rating.revocation import Revocable, typed_target
from handlers.rating.steps import ProductCode
from storage import Store
from storage.models import Role

flow = Flow("product_code", role=Role.OFFICER)
flow.command("masanpham", ProductCode.PICK)

CANCEL = Choice(key="m:cancel", label="results.cancel")


async def save_code(store: Store, target: Revocable, code: str, actor: str,
                    now: datetime) -> bool:
    """Store the code if no other product has it (audited); False when it is taken."""
    holder = await store.official.product_with_code(code)
    if holder is not None and holder != target.product.id:
        return False
    await store.official.set_product_code(target.product.id, code, now)
    await store.audit.record(actor, "product_code_set", now,
                             subject=f"product:{target.product.id}", details={"code": code})
    return True


@flow.ask(ProductCode.PICK)
async def pick(turn: Turn) -> list[Reply]:
    """Ask which certified product: its dossier code or certificate number."""
    return [Reply(template="product_code/ask_product", choices=(CANCEL,))]


@flow.answer(ProductCode.PICK, accepts=TEXT, digits_are_text=True)
async def picked(turn: Turn) -> list[Reply]:
    """Find the product; ask its code."""
    if turn.choice == "m:cancel":
        return [Reply(template="results/cancelled"), *await turn.goto(Officer.MAIN)]
    turn.data = {"typed": turn.text}
    if await typed_target(turn) is None:
        return await turn.again(Reply(template="revocation/not_found",
                                      context={"typed": turn.text}))
    return await turn.goto(ProductCode.CODE, typed=turn.text)


@flow.ask(ProductCode.CODE)
async def ask_code(turn: Turn) -> list[Reply]:
    """Ask the code, showing the one already stored."""
    target = await typed_target(turn)
    if target is None:
        return await turn.goto(ProductCode.PICK)
    context = {"name": target.product.name, "id": target.product.id,
               "code": target.product.product_code or ""}
    return [Reply(template="product_code/ask_code", context=context, choices=(CANCEL,))]


@flow.answer(ProductCode.CODE, accepts=TEXT, digits_are_text=True)
async def take_code(turn: Turn) -> list[Reply]:
    """Check the shape and that no other product has it; save it."""
    if turn.choice == "m:cancel":
        return [Reply(template="results/cancelled"), *await turn.goto(Officer.MAIN)]
    target = await typed_target(turn)
    if target is None:
        return await turn.goto(ProductCode.PICK)
    code = read_product_code(turn.text, turn.now.astimezone(turn.config.zone).year)
    if code is None:
        return await turn.again(Reply(template="product_code/bad", context={"typed": turn.text}))
    if not await save_code(turn.store, target, code, turn.user.address, turn.now):
        return await turn.again(Reply(template="product_code/used", context={"code": code}))
    context = {"name": target.product.name, "id": target.product.id, "code": code}
    return [Reply(template="product_code/saved", context=context),
            *await turn.goto(Officer.MAIN)]
