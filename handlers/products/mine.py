"""/sanpham: the producer's products; open one for details, checklist, history, certificate."""

from __future__ import annotations

from handlers.account.steps import Menu
from handlers.assessment.steps import Assessment
from handlers.common.rules import under_old_rules
from handlers.common.standing import standing_label
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Section, Turn
from handlers.products.common import (
    certificate_context,
    dossier_progress,
    owned_product,
    product_context,
)
from handlers.products.questions import next_question
from handlers.products.register import flow
from handlers.products.rerating import may_rerate, ministry_round, start_rerating
from handlers.products.steps import Dossier, Products
from storage.product_models import DOSSIER_OPEN, EDITABLE, Certification, Product, ProductStatus

flow.command("sanpham", Products.MINE, listed=9)

LIST_LIMIT = 30


def status_text(turn: Turn, product: Product, cert: Certification | None = None,
                revoked: bool = False) -> str:
    """The product's status as a short phrase in the user's language ("Hết hạn ngày …" once
    its certificate has lapsed)."""
    today = turn.now.astimezone(turn.config.zone).date()
    expires = cert.expires_on if cert is not None and cert.certified else None
    return standing_label(turn.renderer, turn.locale, product.status.value, expires, today,
                          revoked)


@flow.ask(Products.MINE)
async def mine(turn: Turn) -> list[Reply]:
    """List the producer's products with status and stars."""
    assert turn.user.producer_id is not None
    products = await turn.store.products.of_producer(turn.user.producer_id)
    if not products:
        offer = (
            Choice(key="pm:reg", label="menu.register_product"),
            Choice(key="pm:back", label="common.to_menu"),
        )
        return [Reply(template="products/none", choices=offer)]
    certs = await turn.store.certifications.of_products([p.id for p in products[:LIST_LIMIT]])
    revoked = {pid for pid, c in certs.items()
               if await turn.store.revocations.of_certification(c.id) is not None}
    choices = tuple(
        Choice(
            key=f"p:{p.id}",
            label="products.list_item",
            context={
                "name": p.name or "…",
                "status": status_text(turn, p, certs.get(p.id), p.id in revoked),
                "stars": certs[p.id].stars if p.id in certs and certs[p.id].certified else 0,
            },
        )
        for p in products[:LIST_LIMIT]
    )
    back = (
        Choice(key="pm:reg", label="menu.register_product"),
        Choice(key="pm:back", label="common.to_menu"),
    )
    context = {"count": len(products), "shown": min(len(products), LIST_LIMIT)}
    return [Reply(template="products/list", context=context, choices=(*choices, *back))]


@flow.answer(Products.MINE)
async def open_product(turn: Turn) -> list[Reply]:
    """Open the picked product (only the owner's own)."""
    if turn.choice == "pm:back":
        return await turn.goto(Menu.MAIN)
    if turn.choice == "pm:reg":
        return await turn.goto(Products.REGISTER)
    product = await owned_product(turn, turn.choice_arg)
    if product is None:
        return [Reply(template="products/not_found"), *await turn.goto(Products.MINE)]
    return await turn.goto(Products.VIEW, pid=product.id)


@flow.ask(Products.VIEW)
async def view(turn: Turn) -> list[Reply]:
    """Show one product: answers, status, dossier progress, latest result."""
    product = await owned_product(turn, turn.data.get("pid"))
    if product is None:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    _, _, done, total = await dossier_progress(turn, product)
    cert = await turn.store.certifications.latest_for(product.id)
    today = turn.now.astimezone(turn.config.zone).date()
    revoked = await turn.store.revocations.of_certification(cert.id) if cert else None
    note = ""
    if product.status is ProductStatus.RETURNED:
        note = await turn.store.products.last_note(product.id, "returned") or ""
    context = {
        "product": await product_context(turn, product),
        "done": done,
        "total": total,
        "result": certificate_context(cert, today, revoked),
        "status": status_text(turn, product, cert, revoked is not None),
        "note": note,
        "old_rules": await under_old_rules(turn.store, product.submitted_at, turn.config.zone),
        "ministry": await ministry_round(turn, cert, today, revoked is not None),
        "at_commune": await _at_commune(turn, product),
    }
    choices: list[Choice] = []
    if product.status in EDITABLE:  # a draft was never sent: it is finished, not resubmitted
        label = "products.finish" if product.status is ProductStatus.DRAFT else "products.edit"
        choices.append(Choice(key="v:edit", label=label))
    if product.status in DOSSIER_OPEN:
        checklist = Choice(
            key="v:chk", label="products.checklist", context={"done": done, "total": total}
        )
        choices.append(checklist)
    loaded = await turn.store.criteria.current_version() is not None
    scored = await turn.store.assessments.of_product(product.id)
    assess = "assessment.menu_item" if loaded else "assessment.menu_item_waiting"
    if scored is not None and scored.score is not None:  # finished once: its points and stars
        assess = "assessment.menu_item_done"
    choices.append(Choice(key="v:assess", label=assess, context={
        "points": f"{scored.score:g}".replace(".", ",") if scored and scored.score else "0",
        "stars": scored.stars if scored else 0}))
    if await may_rerate(turn, product, cert, today):
        choices.append(Choice(key="v:rerate", label="products.rerate"))
    choices.append(Choice(key="v:hist", label="products.history"))
    if cert is not None and cert.certified:
        choices.append(Choice(key="v:cert", label="products.certificate"))
    choices += [
        Choice(key="v:list", label="products.back_to_list"),
        Choice(key="v:menu", label="common.to_menu"),
    ]
    return [Reply(template="products/details", context=context, choices=tuple(choices))]


async def _at_commune(turn: Turn, product: Product) -> dict[str, object] | None:
    """Where a sent dossier is: at its commune (until which day), if it is."""
    review = await turn.store.communes.open_for(product.id)
    return {"commune": review.commune, "due_on": review.due_on} if review else None


@flow.answer(Products.VIEW)
async def view_action(turn: Turn) -> list[Reply]:
    """Open the checklist, the history, the certificate, or edit."""
    product = await owned_product(turn, turn.data.get("pid"))
    if product is None:
        return [Reply(template="products/not_found"), *await turn.goto(Menu.MAIN)]
    action = turn.choice_arg
    if action == "menu":
        return await turn.goto(Menu.MAIN)
    if action == "list":
        return await turn.goto(Products.MINE)
    if action == "edit" and product.status is ProductStatus.DRAFT:
        return await next_question(turn, product)  # as "Đăng ký sản phẩm" continues a draft
    if action == "edit" and product.status in EDITABLE:
        return await turn.goto(Products.SUMMARY, pid=product.id)
    if action == "chk" and product.status in DOSSIER_OPEN:
        return await turn.goto(Dossier.CHECKLIST, pid=product.id, back=Products.VIEW)
    if action == "assess":
        return await turn.goto(Assessment.START, pid=product.id)
    if action == "rerate":
        cert = await turn.store.certifications.latest_for(product.id)
        today = turn.now.astimezone(turn.config.zone).date()
        if cert is not None and await may_rerate(turn, product, cert, today):
            return await start_rerating(turn, product, cert)
    if action == "hist":
        events = await turn.store.products.events(product.id)
        rows = [{"at": e.at, "kind": e.kind, "note": e.note or ""} for e in events]
        return await turn.again(
            Reply(template="products/history", context={"name": product.name, "events": rows})
        )
    if action == "cert":
        cert = await turn.store.certifications.latest_for(product.id)
        if cert is not None and cert.certified:
            today = turn.now.astimezone(turn.config.zone).date()
            revoked = await turn.store.revocations.of_certification(cert.id)
            context = {"name": product.name, "code": product.product_code or "",
                       "result": certificate_context(cert, today, revoked)}
            return await turn.again(Reply(template="products/certificate", context=context))
    return await turn.again(Reply(template="products/not_editable"))


async def export_products(turn: Turn) -> list[Section]:
    """What the bot keeps about this user's products (for /xoadulieu)."""
    if turn.user.producer_id is None:
        return []
    products = await turn.store.products.of_producer(turn.user.producer_id)
    if not products:
        return []
    lines = []
    for product in products:
        photos = len(await turn.store.products.photos(product.id))
        lines.append(
            turn.renderer.label(
                turn.locale,
                "products.export_line",
                id=product.id,
                name=product.name or "…",
                status=status_text(turn, product),
                photos=photos,
            )
        )
    return [("products.section", lines)]
