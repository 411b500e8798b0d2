"""Rounds and trainings of the officer's province: list, attendance, and cancel (told in chat)."""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.web.auth import Refused, guarded
from bot.web.context import Console, Viewer, utc_now
from bot.web.dates import EXAMPLE, read_moment, shown
from handlers.common.access import may_manage
from handlers.common.calendar import next_province_round
from handlers.common.rules import decision_in_force
from handlers.rounds.changes import cancel_round, change_round_date, date_change_problem
from handlers.rounds.common import DEFAULT_TIMES, KIND_CHOICES, order_problem
from handlers.rounds.officer import publish_round
from handlers.trainings.changes import cancel_training
from handlers.trainings.common import attendance_file
from storage import Store
from storage.rounds import DATE_FIELDS, NewRound, Round
from storage.training_models import Attendee, Training

RECENT = timedelta(days=365)


class _Undone(Exception):
    """A form's change refused part-way: raised to roll back its whole transaction."""

    def __init__(self, problem: tuple[str, str]) -> None:
        super().__init__(problem[0])
        self.problem = problem


async def rounds(console: Console, request: Request, viewer: Viewer,
                 problem: tuple[str, str] | None = None, form: dict[str, str] | None = None,
                 problem_round: int | None = None) -> Response:
    """Active rounds of the province (products entered, note, dates to change), and a new one."""
    async with console.db.reading() as store:
        found = await store.rounds.managed(viewer.scope, utc_now() - RECENT)
        entries = {r.id: [e for e in await store.rounds.entries(r.id) if e.withdrawn_at is None]
                   for r in found}
        provinces = await store.reference.provinces()
        suggested = await next_province_round(store, utc_now().astimezone(console.config.zone)
                                              .date())
        decision = await decision_in_force(store)
    zone = console.config.zone
    html = console.render(
        "rounds.html", viewer.locale, viewer=viewer, rounds=found, entries=entries,
        suggested=suggested, decision=decision,
        done=request.query_params.get("done"), fields=DATE_FIELDS, kinds=KIND_CHOICES,
        local=lambda moment: shown(moment, zone), example=EXAMPLE,
        defaults={f: DEFAULT_TIMES[f].strftime("%H:%M") for f in DATE_FIELDS},
        previous=dict(zip(DATE_FIELDS[1:], DATE_FIELDS, strict=False)),
        provinces=provinces, problem=problem, form=form or {}, problem_round=problem_round,
        request_told=request.query_params.get("told", ""),
    )
    return HTMLResponse(html, status_code=400 if problem else 200)


def _local(console: Console, typed: str, field: str) -> datetime | None:
    """A round's date typed as in the chat (a day alone takes the field's usual time)."""
    return read_moment(typed, console.config.zone, DEFAULT_TIMES[field])


def _unread(form: dict[str, str], values: dict[str, datetime | None]) -> tuple[str, str] | None:
    """The first date left empty or typed so that it cannot be read."""
    for field, value in values.items():
        if value is None:
            typed = form.get(field, "").strip()
            return ("date_unreadable" if typed else "date_missing"), field
    return None


async def create_round(console: Console, request: Request, viewer: Viewer,
                       form: dict[str, str]) -> Response:
    """Publish a new round, checked as in the chat (name free, dates in order, own province)."""
    name = " ".join(form.get("name", "").split())[: console.config.max_name_length]
    province = viewer.scope if viewer.scope is not None else form.get("province", "")
    values = {field: _local(console, form.get(field, ""), field) for field in DATE_FIELDS}
    now = utc_now()

    async def work(store: Store) -> tuple[str, str] | None:
        if not name:
            return "name_missing", ""
        if await store.reference.province(province) is None or not may_manage(
                viewer.user, province):
            return "bad_province", ""
        if await store.rounds.exists(province, name):
            return "name_taken", ""
        unread = _unread(form, values)
        if unread is not None:
            return unread
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
    """Change the dates that differ, each checked as in the chat, in one transaction: one bad
    date and nothing is changed; otherwise producers entered are told."""
    rid = int(request.path_params["rid"])
    now = utc_now()

    async def work(store: Store) -> tuple[str, str] | None:
        found = await _round(store, viewer, rid)
        for field in DATE_FIELDS:
            value = _local(console, form.get(field, ""), field)
            if value is None:
                return _unread(form, {field: None}) or ("date_missing", field)
            if value == getattr(found, field).replace(second=0, microsecond=0):
                continue  # unchanged (the form shows minutes)
            problem = date_change_problem(found, field, value, now, console.config.zone)
            if problem is not None:  # undo the form's earlier changes: all or nothing
                raise _Undone((f"date_{problem[1]}", problem[0]))
            await change_round_date(store, console.renderer, viewer.user.address, found,
                                    field, value, now, console.config.zone)
            changed = await store.rounds.get(rid)
            assert changed is not None
            found = changed
        return None

    try:
        problem = await guarded(console, work)
    except _Undone as undone:  # rolled back: no date changed, no audit entry, nobody told
        problem = undone.problem
    if problem is not None:
        return await rounds(console, request, viewer, problem=problem, problem_round=rid)
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
    """Cancel a round once the officer ticked the confirmation; producers entered are told."""
    rid = int(request.path_params["rid"])

    async def work(store: Store) -> int | None:
        found = await _round(store, viewer, rid)
        if form.get("confirm") != "1":
            return None
        return await cancel_round(store, console.renderer, viewer.user.address, found,
                                  utc_now(), console.config.zone)

    told = await guarded(console, work)
    if told is None:
        return await rounds(console, request, viewer, problem=("not_confirmed", ""),
                            problem_round=rid)
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
