"""Rounds and trainings of the officer's province: list, attendance, and cancel (told in chat)."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.web.auth import Refused
from bot.web.context import Console, Viewer, utc_now
from bot.web.products import guarded
from handlers.common.access import may_manage
from handlers.rounds.changes import cancel_round
from handlers.trainings.changes import cancel_training
from handlers.trainings.common import attendance_file
from storage import Store
from storage.rounds import Round
from storage.trainings import Attendee, Training

RECENT = timedelta(days=365)


async def rounds(console: Console, request: Request, viewer: Viewer) -> Response:
    """Active rounds of the province, with how many products are entered."""
    async with console.db.reading() as store:
        found = await store.rounds.managed(viewer.scope, utc_now() - RECENT)
        entries = {r.id: len(await store.rounds.entries(r.id)) for r in found}
    html = console.render("rounds.html", viewer.locale, viewer=viewer, rounds=found,
                          entries=entries, done=request.query_params.get("done"))
    return HTMLResponse(html)


async def trainings(console: Console, request: Request, viewer: Viewer) -> Response:
    """Active trainings of the province, with seats taken and waiting."""
    async with console.db.reading() as store:
        found = await store.trainings.managed(viewer.scope, utc_now())
    html = console.render("trainings.html", viewer.locale, viewer=viewer, trainings=found,
                          done=request.query_params.get("done"))
    return HTMLResponse(html)


async def _round(store: Store, viewer: Viewer, rid: int) -> Round:
    found = await store.rounds.get(rid)
    if found is None or found.status != "active":
        raise Refused(404, "not_found")
    if not may_manage(viewer.user, found.province_code):
        await store.audit.record(viewer.user.address, "denied", utc_now(),
                                 subject="web.round", details={"round": rid})
        raise Refused(403, "forbidden")
    return found


async def _training(store: Store, viewer: Viewer, tid: int) -> Training:
    found = await store.trainings.get(tid)
    if found is None:
        raise Refused(404, "not_found")
    if not may_manage(viewer.user, found.province_code):
        await store.audit.record(viewer.user.address, "denied", utc_now(),
                                 subject="web.training", details={"training": tid})
        raise Refused(403, "forbidden")
    return found


async def attendance(console: Console, request: Request, viewer: Viewer) -> Response:
    """Who is enrolled in (or waiting for) a training; ?xlsx=1 downloads the list."""
    tid = int(request.path_params["tid"])

    async def work(store: Store) -> tuple[Training, list[Attendee]]:
        training = await _training(store, viewer, tid)
        people = await store.trainings.attendees(training.id)
        if request.query_params.get("xlsx"):
            await store.audit.record(viewer.user.address, "training_attendance_exported",
                                     utc_now(), subject=f"training:{training.id}")
        return training, people

    training, people = await guarded(console, work)
    if request.query_params.get("xlsx"):
        document = attendance_file(console.renderer, viewer.locale, training, people)
        return Response(document.content, media_type=document.mime, headers={
            "Content-Disposition": f'attachment; filename="{document.filename}"'})
    html = console.render("attendance.html", viewer.locale, viewer=viewer, training=training,
                          people=people)
    return HTMLResponse(html)


async def cancel_a_round(console: Console, request: Request, viewer: Viewer,
                         form: dict[str, str]) -> Response:
    """Cancel a round; producers with a product entered are told in chat."""
    rid = int(request.path_params["rid"])

    async def work(store: Store) -> int:
        found = await _round(store, viewer, rid)
        return await cancel_round(store, console.renderer, viewer.user.address, found,
                                  utc_now(), console.config.zone)

    told = await guarded(console, work)
    return RedirectResponse(f"/web/rounds?done={told}", status_code=303)


async def cancel_a_training(console: Console, request: Request, viewer: Viewer,
                            form: dict[str, str]) -> Response:
    """Cancel a training; everyone enrolled or waiting is told in chat."""
    tid = int(request.path_params["tid"])

    async def work(store: Store) -> int:
        found = await _training(store, viewer, tid)
        if found.status != "active":
            raise Refused(404, "not_found")
        return await cancel_training(store, console.renderer, viewer.user.address, found,
                                     utc_now())

    told = await guarded(console, work)
    return RedirectResponse(f"/web/trainings?done={told}", status_code=303)
