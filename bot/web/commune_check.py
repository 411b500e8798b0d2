"""The commune's step on the console: a commune officer's first page is their commune's
dossiers; on a dossier at their commune they write the commune's assessment (Mẫu 03), and
forward it to the province or return it to the producer, as `/hosoxa` does in chat."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web import dashboard
from bot.web.auth import Refused, guarded
from bot.web.context import Console, Viewer, utc_now
from handlers.common.working_days import days_left
from handlers.rating.commune_actions import MAU03, forward, give_back_from_commune
from handlers.rating.review import note_problem
from storage import Store
from storage.communes import CommuneReview
from storage.models import Role
from storage.places import written_apart
from storage.product_models import Product

LEVELS = ("yes", "part", "no")


async def home(console: Console, request: Request, viewer: Viewer) -> Response:
    """The first page: the province's figures, or, for a commune officer, their dossiers."""
    if viewer.area.commune_only:
        return RedirectResponse("/web/communes", status_code=303)
    return await dashboard.page(console, request, viewer)


def may_check(viewer: Viewer, review: CommuneReview) -> bool:
    """Whether the viewer is a commune officer of the commune this check belongs to."""
    return (viewer.user.role is Role.COMMUNE_OFFICER
            and review.province_code == viewer.area.province
            and review.commune_key == viewer.area.commune_key)


async def commune_card(console: Console, store: Store, viewer: Viewer,
                       product: Product) -> dict[str, Any]:
    """What the dossier page shows of the commune's check: the open one (with the form for
    its commune officer) or the last one closed, with the Mẫu 03 answers; and the producer's
    commune as written when it differs from the place it became."""
    producer = await store.users.producer(product.producer_id)
    written = written_apart(producer.commune, producer.commune_typed) if producer else ""
    review = await store.communes.latest_for(product.id)
    if review is None:
        return {"commune_review": None, "commune_written": written}
    today = utc_now().astimezone(console.config.zone).date()
    return {"commune_written": written, "commune_review": {
        "open": review.decided_at is None, "commune": review.commune,
        "received": review.received_at, "due_on": review.due_on,
        "left": await days_left(store, review.due_on, today), "outcome": review.outcome,
        "decided_at": review.decided_at, "answers": review.assessment,
        "may_act": review.decided_at is None and may_check(viewer, review)},
        "mau03": MAU03, "levels": LEVELS}


async def act(console: Console, request: Request, viewer: Viewer,
              form: dict[str, str]) -> Response:
    """Save the commune's assessment, and forward the dossier or return it with a note."""
    pid = int(request.path_params["pid"])
    action, note = form.get("action", ""), form.get("note", "").strip()
    answers = {key: form[key] for key in MAU03 if form.get(key) in LEVELS}
    now = utc_now()

    async def work(store: Store) -> str:
        review = await store.communes.open_for(pid)
        if review is None or not may_check(viewer, review):
            if review is not None:
                await store.audit.record(viewer.user.address, "denied", now,
                                         subject="web.commune", details={"product": pid})
                raise Refused(403, "forbidden")
            return "commune_closed"
        if action == "return":
            if note_problem(note) is not None:
                return "bad_note"
            await give_back_from_commune(store, console.renderer, review, note,
                                         viewer.user.address, now)
            return "done_commune_returned"
        kept = {**review.assessment, **answers}
        await store.communes.save_assessment(review.id, kept)
        if action != "forward":
            return "done_commune_saved"
        if not all(key in kept for key in MAU03):
            return "commune_incomplete"
        await forward(store, console.renderer, review.model_copy(update={"assessment": kept}),
                      viewer.user.address, now)
        return "done_commune_forwarded"

    outcome = await guarded(console, work)
    return RedirectResponse(f"/web/products/{pid}?problem={outcome}", status_code=303)
