"""A photo or file sent while the dossier checklist shows: it goes to the item it fits.

The caption says which ("giấy attp", "phiếu kiểm nghiệm"); without a caption that names one
item, the file is kept and the bot asks which item it is (the next item picked takes it).
"""

from __future__ import annotations

from typing import Any

from handlers.engine.events import Reply
from handlers.engine.guess import rank, sure_one
from handlers.engine.turn import Turn
from handlers.products.common import Refused, checked_file, dossier_progress
from handlers.products.steps import Dossier
from storage.product_models import DossierItem, Product

PENDING = "pending_file"  # flow data: a file sent at the checklist, waiting for its item


async def file_at_checklist(
    turn: Turn, product: Product, items: list[DossierItem], back: str
) -> list[Reply]:
    """Put the file on the item its caption names, or keep it and ask which item it is."""
    try:
        attachment, mime = checked_file(turn, allow_pdf=True)
    except Refused as refused:
        return await turn.again(refused.reply)
    pending = {"file_id": attachment.file_id, "mime": mime, "channel": turn.user.channel}
    names = [(i.code, i.name(turn.locale), (i.name(turn.locale),)) for i in items]
    fits = sure_one(rank(turn.text, names)) if turn.text else None
    found = next((i for i in items if fits is not None and i.code == fits.key), None)
    if found is None:
        turn.data[PENDING] = pending
        return await turn.again(Reply(template="dossier/which_item"))
    return await _put(turn, product, found, pending, back)


async def pending_for(
    turn: Turn, product: Product, item: DossierItem, back: str
) -> list[Reply] | None:
    """The kept file put on the item just picked, if a file waits for its item."""
    pending = turn.data.pop(PENDING, None)
    if not isinstance(pending, dict):
        return None
    return await _put(turn, product, item, pending, back)


async def _put(
    turn: Turn, product: Product, item: DossierItem, pending: dict[str, Any], back: str
) -> list[Reply]:
    await turn.store.products.mark_item(
        product.id, item.code, "file", turn.now, pending["channel"], pending["file_id"],
        pending["mime"],
    )
    _, _, done, total = await dossier_progress(turn, product)
    context = {"name": item.name(turn.locale), "done": done, "total": total}
    return [
        Reply(template="dossier/marked", context=context),
        *await turn.goto(Dossier.CHECKLIST, pid=product.id, back=back),
    ]
