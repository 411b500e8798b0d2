"""Rounds and trainings of the officer's province: list, attendance, and cancel (told in chat)."""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.web.auth import Refused, guarded
from bot.web.context import Console, Viewer, utc_now
from handlers.common.access import may_manage
from handlers.common.calendar import next_province_round
from handlers.common.rules import decision_in_force
from handlers.rounds.changes import cancel_round, change_round_date, date_change_problem
from handlers.rounds.common import KIND_CHOICES, order_problem
from handlers.rounds.officer import publish_round
from handlers.trainings.changes import cancel_training
from handlers.trainings.common import attendance_file
from storage import Store
from storage.rounds import DATE_FIELDS, NewRound, Round
from storage.training_models import Attendee, Training

RECENT = timedelta(days=365)


async def rounds(console: Console, request: Request, viewer: Viewer,
                 problem: tuple[str, str] | None = None, form: dict[str, str] | None = None,
                 ) -> Response:
    """Active rounds of the province (products entered, dates to change), and a new one."""
    async with console.db.reading() as store:
        found = await store.rounds.managed(viewer.scope, utc_now() - RECENT)
        entries = {r.id: len(await store.rounds.entries(r.id)) for r in found}
        provinces = await store.reference.provinces()
        suggested = await next_province_round(store, utc_now().astimezone(console.config.zone)
                                              .date())
        decision = await decision_in_force(store)
    zone = console.config.zone
    html = console.render(
        "rounds.html", viewer.locale, viewer=viewer, rounds=found, entries=entries,
        suggested=suggested, decision=decision,
        done=request.query_params.get("done"), fields=DATE_FIELDS, kinds=KIND_CHOICES,
        local=lambda moment: moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        provinces=provinces, problem=problem, form=form or {},
        request_told=request.query_params.get("told", ""),
    )
    return HTMLResponse(html, status_code=400 if problem else 200)


def _local(console: Console, typed: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(typed.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=console.config.zone) if moment.tzinfo is None else moment


async def create_round(console: Console, request: Request, viewer: Viewer,
                       form: dict[str, str]) -> Response:
    """Publish a new round, checked as in the chat (name free, dates in order, own province)."""
    name = " ".join(form.get("name", "").split())[: console.config.max_name_length]
    province = viewer.scope if viewer.scope is not None else form.get("province", "")
    values = {field: _local(console, form.get(field, "")) for field in DATE_FIELDS}
    now = utc_now()

    async def work(store: Store) -> tuple[str, str] | None:
        if not name:
            return "name_missing", ""
        if await store.reference.province(province) is None or not may_manage(
                viewer.user, province):
            return "bad_province", ""
        if await store.rounds.exists(province, name):
            return "name_taken", ""
        missing = [field for field, value in values.items() if value is None]
        if missing:
            return "date_missing", missing[0]
        dated = {field: value for field, value in values.items() if value is not None}
        problem = order_problem(dated, now, console.config.zone)
        if problem is not None:
            return f"date_{problem[1]}", problem[0]
        draft = NewRound(
            name=name, province_code=province,
            kinds=KIND_CHOICES.get(form.get("kinds", "all"), KIND_CHOICES["all"]),
            note=form.get("note", "").strip()[: console.config.max_text_length], **dated,
        )
        await publish_round(store, console.renderer, viewer.user.address, draft, now,
                            console.config.zone)
        return None

    problem = await console.db.run(work)
    if problem is not None:
        return await rounds(console, request, viewer, problem=problem, form=form)
    return RedirectResponse("/web/rounds?done=created", status_code=303)


async def change_dates(console: Console, request: Request, viewer: Viewer,
                       form: dict[str, str]) -> Response:
    """Change the dates that differ, each checked as in the chat; producers entered are told."""
    rid = int(request.path_params["rid"])
    now = utc_now()

    async def work(store: Store) -> tuple[str, str] | None:
        found = await _round(store, viewer, rid)
        for field in DATE_FIELDS:
            value = _local(console, form.get(field, ""))
            if value is None:
                return "date_missing", field
            if value == getattr(found, field).replace(second=0, microsecond=0):
                continue  # unchanged (the form shows minutes)
            problem = date_change_problem(found, field, value, now, console.config.zone)
            if problem is not None:
                return f"date_{problem[1]}", problem[0]
            await change_round_date(store, console.renderer, viewer.user.address, found,
                                    field, value, now, console.config.zone)
            changed = await store.rounds.get(rid)
            assert changed is not None
            found = changed
        return None

    problem = await guarded(console, work)
    if problem is not None:
        return await rounds(console, request, viewer, problem=problem)
    return RedirectResponse("/web/rounds?done=changed", status_code=303)


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
    return RedirectResponse(f"/web/rounds?done=cancelled&told={told}", status_code=303)


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
