"""Dates typed in the console's text fields, read by the bot's own date reader.

A date field is a text field, not the browser's date picker, so it does not depend on the
browser's language: officers type "15/12/2026 08:30", "mai 8h" or "20/12" as in the chat,
and the page shows back the date it understood.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.web.context import Console, Viewer, utc_now
from handlers.common import dates

EXAMPLE = "08:30 15/12/2026"


def read_moment(typed: str, zone: ZoneInfo, default: time = dates.END_OF_DAY,
                now: datetime | None = None) -> datetime | None:
    """The instant a typed date means in `zone` (`default` when no time is typed); None when
    it cannot be read for sure. The browser's own form (2026-12-15T08:30) is read too."""
    typed = typed.strip()
    if not typed:
        return None
    try:
        moment = datetime.fromisoformat(typed)
    except ValueError:
        return dates.moment(typed, now or utc_now(), zone, default)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def shown(moment: datetime | None, zone: ZoneInfo) -> str:
    """A moment as officers write it, for a date field's value: 08:30 15/12/2026."""
    return moment.astimezone(zone).strftime("%H:%M %d/%m/%Y") if moment is not None else ""


async def understood(console: Console, request: Request, viewer: Viewer) -> Response:
    """What a typed date is read as, for the note beside a date field ("" if unreadable)."""
    typed = request.query_params.get("typed", "")
    default = dates.read_time(request.query_params.get("default", "")) or dates.END_OF_DAY
    moment = read_moment(typed[:100], console.config.zone, default)
    if moment is None:
        return JSONResponse({"shown": "", "problem": console.renderer.label(
            viewer.locale, "web.dates.unreadable", example=EXAMPLE) if typed.strip() else ""})
    said = console.renderer.label(viewer.locale, "web.dates.understood",
                                  when=shown(moment, console.config.zone))
    return JSONResponse({"shown": said, "problem": ""})
