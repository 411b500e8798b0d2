"""Officers compose an announcement, pick its audience, preview it and send or schedule it."""

from __future__ import annotations

from datetime import datetime

from handlers.account.steps import Officer
from handlers.broadcasts.options import audience_options
from handlers.broadcasts.queue import (
    announcement_context,
    parts_per_channel,
    province_name,
    queue_broadcast,
    scope_of,
    send_test_copy,
)
from handlers.broadcasts.steps import Broadcast
from handlers.broadcasts.when import parse_when
from handlers.common.resume import offer_resume
from handlers.engine.events import Choice, Reply
from handlers.engine.pause import pausable
from handlers.engine.turn import TEXT, Flow, Turn
from storage.audience import AUDIENCE_FILTERS
from storage.models import Role
from storage.timefmt import from_db, to_db

flow = Flow("broadcast", role=Role.OFFICER)
for _step in ("compose", "audience", "filter_value", "confirm", "when", "final"):
    pausable(f"broadcast.{_step}", "broadcast")  # a text being prepared is kept on /huy
flow.command("broadcast", Broadcast.COMPOSE)
flow.command("guithongbao", Broadcast.COMPOSE)

MAX_TEXT = 3500  # leaves room for the framing under Telegram's 4096
PAGE = 30  # filter values shown at once


def _filters(turn: Turn) -> list[tuple[str, str]]:
    return [(key, value) for key, value, _ in turn.data.get("filters", [])]


def _not_before(turn: Turn) -> datetime | None:
    value = turn.data.get("not_before")
    return from_db(value) if value else None


@flow.ask(Broadcast.COMPOSE)
async def ask_text(turn: Turn) -> list[Reply]:
    """Ask for the announcement's text."""
    if turn.user.role is not Role.ADMIN and turn.user.officer_province is None:
        return [Reply(template="broadcast/no_province"), *await turn.goto(Officer.MAIN)]
    if not turn.data and (offer := await offer_resume(turn, "broadcast", Broadcast.COMPOSE)):
        return offer
    choices = (Choice(key="b:back", label="common.back"),)
    return [Reply(template="broadcast/compose", context={"max": MAX_TEXT}, choices=choices)]


@flow.answer(Broadcast.COMPOSE, accepts=TEXT, digits_are_text=True)
async def take_text(turn: Turn) -> list[Reply]:
    """Keep the text as written and go on to the audience."""
    if turn.choice == "b:back":
        return await turn.goto(Officer.MAIN)
    text = turn.text.strip()
    if not text:
        return await turn.again(Reply(template="broadcast/empty_text"))
    if len(text) > MAX_TEXT:
        return await turn.again(
            Reply(template="broadcast/too_long", context={"max": MAX_TEXT, "length": len(text)})
        )
    data = {"filters": [], "urgent": False, "not_before": None, **turn.data, "text": text}
    if turn.data.get("text"):  # editing the text of a broadcast being prepared
        return await turn.goto(Broadcast.CONFIRM, **data)
    return await turn.goto(Broadcast.AUDIENCE, **data)


@flow.ask(Broadcast.AUDIENCE)
async def ask_audience(turn: Turn) -> list[Reply]:
    """Offer everyone in the province, or one of the registered filters."""
    used = {key for key, _ in _filters(turn)}
    choices = [Choice(key="a:ok", label="broadcast.everyone" if not used else "broadcast.done")]
    for key, audience_filter in AUDIENCE_FILTERS.items():  # those with something to pick
        if key not in used and await turn.store.audience.options(key, scope_of(turn.user)):
            choices.append(Choice(key=f"f:{key}", label=audience_filter.label))
    context = {"province": await province_name(turn, scope_of(turn.user)),
               "chosen": [label for _, _, label in turn.data.get("filters", [])]}
    return [Reply(template="broadcast/audience", context=context, choices=tuple(choices))]


@flow.answer(Broadcast.AUDIENCE)
async def pick_audience(turn: Turn) -> list[Reply]:
    """Go to the summary, or ask for the picked filter's value."""
    if turn.choice == "a:ok":
        return await turn.goto(Broadcast.CONFIRM, **turn.data)
    key = turn.choice_arg
    if key not in AUDIENCE_FILTERS:
        return await turn.again()
    return await turn.goto(Broadcast.FILTER_VALUE, **{**turn.data, "filter": key, "page": 0})


@flow.ask(Broadcast.FILTER_VALUE)
async def ask_value(turn: Turn) -> list[Reply]:
    """List a page of the filter's values in the officer's province."""
    key = turn.data["filter"]
    options = await audience_options(turn.store, turn.renderer, turn.locale, key,
                                     scope_of(turn.user))
    if not options:
        return [Reply(template="broadcast/no_options"),
                *await turn.goto(Broadcast.AUDIENCE, **turn.data)]
    page = int(turn.data.get("page", 0))
    shown = options[page * PAGE:(page + 1) * PAGE]
    turn.data["shown"] = [list(option) for option in shown]
    choices = [Choice(key=f"v:{i}", text=text) for i, (_, text) in enumerate(shown)]
    if len(options) > (page + 1) * PAGE:
        choices.append(Choice(key="v:more", label="broadcast.more"))
    choices.append(Choice(key="v:back", label="common.back"))
    context = {"filter": AUDIENCE_FILTERS[key].label}
    return [Reply(template="broadcast/filter_value", context=context, choices=tuple(choices))]


@flow.answer(Broadcast.FILTER_VALUE)
async def take_value(turn: Turn) -> list[Reply]:
    """Add the picked value to the audience."""
    data = {k: v for k, v in turn.data.items() if k not in ("shown", "page", "filter")}
    if turn.choice == "v:more":
        page = int(turn.data.get("page", 0)) + 1
        return await turn.goto(Broadcast.FILTER_VALUE, **{**turn.data, "page": page})
    if turn.choice == "v:back":
        return await turn.goto(Broadcast.AUDIENCE, **data)
    value, text = turn.data["shown"][int(turn.choice_arg)]
    data["filters"] = [*data.get("filters", []), [turn.data["filter"], value, text]]
    return await turn.goto(Broadcast.CONFIRM, **data)


async def _summary(turn: Turn) -> Reply:
    accounts, producers = await turn.store.audience.count(scope_of(turn.user), _filters(turn))
    used = {key for key, _ in _filters(turn)}
    urgent = bool(turn.data.get("urgent"))
    choices: list[Choice] = []
    if accounts:
        choices += [Choice(key="c:now", label="broadcast.send_now"),
                    Choice(key="c:self", label="broadcast.send_self")]
    choices += [Choice(key="c:when", label="broadcast.schedule"),
                Choice(key="c:urg", label="broadcast.unmark_urgent" if urgent
                       else "broadcast.mark_urgent")]
    if set(AUDIENCE_FILTERS) - used:
        choices.append(Choice(key="c:flt", label="broadcast.add_filter"))
    choices += [Choice(key="c:edit", label="broadcast.edit_text"),
                Choice(key="c:drop", label="broadcast.drop")]
    preview = await announcement_context(turn, turn.data["text"], urgent)
    context = {
        "parts": parts_per_channel(turn.renderer, preview),
        "accounts": accounts,
        "producers": producers,
        "unclaimed": await turn.store.claiming.unclaimed_count(scope_of(turn.user),
                                                               _filters(turn)),
        "province": await province_name(turn, scope_of(turn.user)),
        "audience": [label for _, _, label in turn.data.get("filters", [])],
        "urgent": urgent,
        "not_before": _not_before(turn),
    }
    return Reply(template="broadcast/confirm", context=context, choices=tuple(choices))


@flow.ask(Broadcast.CONFIRM)
async def show_summary(turn: Turn) -> list[Reply]:
    """Show the preview exactly as recipients will see it, and who it will reach."""
    preview = await announcement_context(turn, turn.data["text"], bool(turn.data.get("urgent")))
    return [Reply(template="broadcast/announcement", context=preview, alone=True),
            await _summary(turn)]


@flow.answer(Broadcast.CONFIRM)
async def act_on_summary(turn: Turn) -> list[Reply]:
    """Send to myself, schedule, mark urgent, narrow the audience, edit, or go on to send."""
    match turn.choice:
        case "c:now":
            return await turn.goto(Broadcast.FINAL, **turn.data)
        case "c:self":
            return [await _send_to_self(turn), await _summary(turn)]
        case "c:when":
            return await turn.goto(Broadcast.WHEN, **turn.data)
        case "c:urg":
            urgent = not turn.data.get("urgent")
            return await turn.goto(Broadcast.CONFIRM, **{**turn.data, "urgent": urgent})
        case "c:flt":
            return await turn.goto(Broadcast.AUDIENCE, **turn.data)
        case "c:edit":
            return await turn.goto(Broadcast.COMPOSE, **turn.data)
        case _:
            return [Reply(template="broadcast/dropped"), *await turn.goto(Officer.MAIN)]


async def _send_to_self(turn: Turn) -> Reply:
    urgent = bool(turn.data.get("urgent"))
    queued = await send_test_copy(turn.store, turn.renderer, turn.user, turn.now,
                                  turn.data["text"], urgent)
    if not queued:  # the account cannot be written to (inactive): show it here instead
        context = await announcement_context(turn, turn.data["text"], urgent)
        return Reply(template="broadcast/announcement", context=context, alone=True)
    return Reply(template="broadcast/self_sent")


@flow.ask(Broadcast.WHEN)
async def ask_when(turn: Turn) -> list[Reply]:
    """Ask when to send."""
    choices = [Choice(key="w:back", label="common.back")]
    if turn.data.get("not_before"):
        choices.insert(0, Choice(key="w:clear", label="broadcast.unschedule"))
    return [Reply(template="broadcast/ask_when", choices=tuple(choices))]


@flow.answer(Broadcast.WHEN, accepts=TEXT, digits_are_text=True)
async def take_when(turn: Turn) -> list[Reply]:
    """Keep a time in the future (local time), or clear it."""
    if turn.choice == "w:back":
        return await turn.goto(Broadcast.CONFIRM, **turn.data)
    if turn.choice == "w:clear":
        return await turn.goto(Broadcast.CONFIRM, **{**turn.data, "not_before": None})
    moment = parse_when(turn.text, turn.now, turn.config.zone)
    if moment is None:
        return await turn.again(Reply(template="broadcast/bad_when"))
    return await turn.goto(Broadcast.CONFIRM, **{**turn.data, "not_before": to_db(moment)})


@flow.ask(Broadcast.FINAL)
async def ask_final(turn: Turn) -> list[Reply]:
    """The last question before anything is sent."""
    accounts, _ = await turn.store.audience.count(scope_of(turn.user), _filters(turn))
    context = {"accounts": accounts, "not_before": _not_before(turn),
               "urgent": bool(turn.data.get("urgent"))}
    label = "broadcast.confirm_schedule" if _not_before(turn) else "broadcast.confirm_send"
    choices = (Choice(key="c:go", label=label), Choice(key="c:back", label="common.back"))
    return [Reply(template="broadcast/final", context=context, choices=choices)]


@flow.answer(Broadcast.FINAL)
async def send(turn: Turn) -> list[Reply]:
    """Record the broadcast and queue one outbox row per recipient, all in this transaction."""
    if turn.choice != "c:go":
        return await turn.goto(Broadcast.CONFIRM, **turn.data)
    not_before = _not_before(turn)
    if not_before is not None and not_before <= turn.now:
        return [Reply(template="broadcast/bad_when"), *await turn.goto(Broadcast.WHEN,
                                                                      **turn.data)]
    broadcast_id, queued = await queue_broadcast(turn, not_before or turn.now)
    context = {"broadcast_id": broadcast_id, "accounts": queued, "not_before": not_before,
               "urgent": bool(turn.data.get("urgent")),
               "progress": turn.user.channel != "terminal"}
    return [Reply(template="broadcast/queued", context=context),
            *await turn.goto(Officer.MAIN)]
