"""Trainings in the console: the list, publishing a new one and changing one, as in the chat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.web.auth import Refused, guarded
from bot.web.context import Console, Viewer, utc_now
from bot.web.dates import read_moment, shown
from handlers.common import fields
from handlers.common.access import may_manage
from handlers.trainings.changes import EDIT_FIELDS
from handlers.trainings.fields import (
    MAX_CAPACITY,
    audiences_for,
    place_values,
    seats,
    time_problem,
)
from handlers.trainings.publish import (
    TIMES,
    capacity_problem,
    change_training,
    current_times,
    publish_training,
)
from storage import Store
from storage.training_models import NewTraining, Training

Problem = dict[str, Any]  # key (the label after "problem_"), field, n, at (the form's field)
FIELD_OF = {  # the form field a problem is about, when its key does not name a time
    "title": "title", "topic": "topic", "audience": "audience", "commune": "commune",
    "group": "group", "place": "place", "capacity": "capacity", "capacity_below": "capacity",
    "bad_province": "province",
}


class Unfit(Exception):
    """A form value refused, with what to tell the officer and the field it is about."""

    def __init__(self, key: str, field: str = "", n: int = 0) -> None:
        super().__init__(key)
        self.problem: Problem = {"key": key, "field": field, "n": n,
                                 "at": field or FIELD_OF.get(key, ""), "tid": 0}


async def page(console: Console, request: Request, viewer: Viewer,
               problem: Problem | None = None, form: dict[str, str] | None = None,
               ) -> Response:
    """Active trainings of the province with a form to change each, and a new one."""
    async with console.db.reading() as store:
        found = await store.trainings.managed(viewer.scope, utc_now())
        topics = await store.trainings.topics()
        groups = await store.catalog.groups()
        provinces = await store.reference.provinces()
    zone = console.config.zone
    html = console.render(
        "trainings.html", viewer.locale, viewer=viewer, trainings=found, topics=topics,
        groups=groups, provinces=provinces, audiences=audiences_for(viewer.user),
        edit_fields=EDIT_FIELDS, times=TIMES, done=request.query_params.get("done"),
        told=request.query_params.get("told", ""), problem=problem, form=form or {},
        local=lambda moment: shown(moment, zone),
    )
    return HTMLResponse(html, status_code=400 if problem else 200)


def _when(console: Console, form: dict[str, str], name: str) -> datetime:
    """A training's time typed as in the chat (a day alone: the end of that day)."""
    moment = read_moment(form.get(name, ""), console.config.zone)
    if moment is None:
        raise Unfit("time_missing", name)
    return moment


def _title(console: Console, typed: str) -> str:
    try:
        return fields.clean_name(typed, console.config.max_name_length)
    except fields.Invalid:
        raise Unfit("title", n=console.config.max_name_length) from None


def _place(console: Console, typed: str) -> dict[str, str]:
    place = place_values(typed, console.config.max_text_length)
    if place is None:
        raise Unfit("place")
    return place


def _seats(typed: str) -> int:
    capacity = seats(typed)
    if capacity is None:
        raise Unfit("capacity", n=MAX_CAPACITY)
    return capacity


def _times(values: dict[str, Any], now: datetime) -> None:
    problem = time_problem(values, now)
    if problem is not None:
        field, why = problem
        raise Unfit("time_past" if why == "past" else f"time_order_{field}", field)


async def _audience(console: Console, store: Store, viewer: Viewer,
                    form: dict[str, str]) -> tuple[str, str]:
    audience = form.get("audience", "")
    if audience not in audiences_for(viewer.user):  # the whole country: admins only
        raise Unfit("audience")
    if audience == "commune":
        try:
            return audience, fields.clean_name(form.get("commune", ""),
                                               console.config.max_name_length)
        except fields.Invalid:
            raise Unfit("commune") from None
    if audience == "group":
        group = await store.catalog.group(form.get("group", ""))
        if group is None:
            raise Unfit("group")
        return audience, group.code
    return audience, ""


async def create(console: Console, request: Request, viewer: Viewer,
                 form: dict[str, str]) -> Response:
    """Publish a new training, checked as in the chat; the producers it is for are told."""
    province = viewer.scope if viewer.scope is not None else form.get("province", "")
    now = utc_now()

    async def work(store: Store) -> tuple[int, int]:
        if await store.reference.province(province) is None or not may_manage(
                viewer.user, province):
            raise Unfit("bad_province")
        title = _title(console, form.get("title", ""))
        topic = await store.trainings.topic(form.get("topic", ""))
        if topic is None:
            raise Unfit("topic")
        audience, audience_value = await _audience(console, store, viewer, form)
        place = _place(console, form.get("place", ""))
        when = {name: _when(console, form, name) for name in TIMES}
        _times(when, now)
        draft = NewTraining(
            title=title, topic_code=topic.code, province_code=province, capacity=_seats(
                form.get("capacity", "")), audience=audience, audience_value=audience_value,
            **place, **when,
        )
        return await publish_training(store, console.renderer, viewer.user.address, draft, now)

    try:
        _, announced = await console.db.run(work)
    except Unfit as unfit:
        return await page(console, request, viewer, problem=unfit.problem, form=form)
    return RedirectResponse(f"/web/trainings?done=created&told={announced}", status_code=303)


def _changes(console: Console, training: Training, form: dict[str, str],
             now: datetime) -> dict[str, Any]:
    """The columns the form changes, each value checked as in the chat."""
    changes: dict[str, Any] = {}
    title = _title(console, form.get("title", ""))
    if title != training.title:
        changes["title"] = title
    place = _place(console, form.get("place", ""))
    if (place["place"], place["online_url"]) != (training.place, training.online_url):
        changes.update(place)
    capacity = _seats(form.get("capacity", ""))
    if capacity != training.capacity:
        changes["capacity"] = capacity
    for name in TIMES:
        value = _when(console, form, name)
        if value != getattr(training, name).replace(second=0, microsecond=0):
            changes[name] = value  # unchanged ones stay as they are (the form shows minutes)
    if any(name in changes for name in TIMES):
        _times({**current_times(training), **{k: v for k, v in changes.items() if k in TIMES}},
               now)
    return changes


async def change(console: Console, request: Request, viewer: Viewer,
                 form: dict[str, str]) -> Response:
    """Save what the form changes; those enrolled (and waiting) are told in chat."""
    tid = int(request.path_params["tid"])
    now = utc_now()

    async def work(store: Store) -> int:
        training = await store.trainings.get(tid)
        if training is None or training.status != "active":
            raise Refused(404, "not_found")
        if not may_manage(viewer.user, training.province_code):
            await store.audit.record(viewer.user.address, "denied", now,
                                     subject="web.training", details={"training": tid})
            raise Refused(403, "forbidden")
        changes = _changes(console, training, form, now)
        enrolled = capacity_problem(training, changes)
        if enrolled is not None:
            raise Unfit("capacity_below", n=enrolled)
        if not changes:
            return -1
        return await change_training(store, console.renderer, viewer.user.address, training,
                                     changes, now)

    try:
        told = await guarded(console, work)
    except Unfit as unfit:  # the training's form comes back open, as typed, the field marked
        return await page(console, request, viewer, problem={**unfit.problem, "tid": tid},
                          form=form)
    done = "unchanged" if told < 0 else "changed"
    return RedirectResponse(f"/web/trainings?done={done}&told={max(told, 0)}", status_code=303)
