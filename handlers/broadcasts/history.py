"""Officers list past broadcasts, open a delivery report, and cancel a scheduled one."""

from __future__ import annotations

from handlers.account.steps import Menu, Officer
from handlers.broadcasts.queue import can_see, scope_of
from handlers.broadcasts.steps import Broadcast
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Turn
from storage.models import Role

flow = Flow("broadcast", role=Role.OFFICER)
EXCERPT = 60


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[: EXCERPT - 1] + "…"


@flow.ask(Broadcast.HISTORY)
async def show_history(turn: Turn) -> list[Reply]:
    """The latest broadcasts of the officer's province, each opening its report."""
    items = []
    choices = []
    for broadcast in await turn.store.broadcasts.recent(scope_of(turn.user), limit=10):
        report = await turn.store.broadcasts.report(broadcast.id)
        items.append({"id": broadcast.id, "when": broadcast.not_before,
                      "status": broadcast.status, "excerpt": _excerpt(broadcast.text),
                      "total": report.total, "delivered": report.delivered})
        choices.append(Choice(key=f"r:{broadcast.id}",
                              text=f"#{broadcast.id} {_excerpt(broadcast.text)[:30]}"))
    choices.append(Choice(key="h:back", label="common.back"))
    return [Reply(template="broadcast/history", context={"items": items},
                  choices=tuple(choices))]


@flow.answer(Broadcast.HISTORY)
async def open_report(turn: Turn) -> list[Reply]:
    """Open the picked broadcast's report."""
    if turn.choice == "h:back" or not turn.choice_arg.isdigit():
        return await turn.goto(Officer.MAIN)
    return await turn.goto(Broadcast.REPORT, id=int(turn.choice_arg))


@flow.ask(Broadcast.REPORT)
async def show_report(turn: Turn) -> list[Reply]:
    """Delivered, blocked, retrying and failed counts of one broadcast."""
    broadcast = await turn.store.broadcasts.get(int(turn.data.get("id", 0)))
    if broadcast is None or not can_see(turn.user, broadcast):
        await turn.store.audit.record(turn.user.address, "denied", turn.now,
                                      subject=f"broadcast:{turn.data.get('id')}")
        return [Reply(template="broadcast/not_found"), *await turn.goto(Broadcast.HISTORY)]
    report = await turn.store.broadcasts.report(broadcast.id)
    cancellable = broadcast.status == "scheduled" and broadcast.not_before > turn.now
    choices = [Choice(key="x:cancel", label="broadcast.cancel")] if cancellable else []
    choices += [Choice(key="x:list", label="broadcast.back_to_list"),
                Choice(key="x:menu", label="common.to_menu")]
    context = {"id": broadcast.id, "text": broadcast.text, "status": broadcast.status,
               "when": broadcast.not_before, "urgent": broadcast.urgent,
               "audience": [label for _, _, label in broadcast.audience],
               **report.model_dump()}
    return [Reply(template="broadcast/report", context=context, choices=tuple(choices))]


@flow.answer(Broadcast.REPORT)
async def act_on_report(turn: Turn) -> list[Reply]:
    """Cancel (if still scheduled), or go back."""
    match turn.choice:
        case "x:cancel":
            broadcast = await turn.store.broadcasts.get(int(turn.data.get("id", 0)))
            if broadcast is None or not can_see(turn.user, broadcast):
                return await turn.goto(Broadcast.HISTORY)
            if not await turn.store.broadcasts.cancel(broadcast.id, turn.now):
                return await turn.again(Reply(template="broadcast/too_late"))
            await turn.store.audit.record(turn.user.address, "broadcast_cancelled", turn.now,
                                          subject=f"broadcast:{broadcast.id}")
            return await turn.again(Reply(template="broadcast/cancelled"))
        case "x:list":
            return await turn.goto(Broadcast.HISTORY)
        case _:
            return await turn.goto(Menu.MAIN)
