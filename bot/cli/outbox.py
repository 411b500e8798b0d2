"""`ocop-bot outbox status` and `ocop-bot outbox retry [--failed]`: see and resend what failed."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from bot.cli.say import PARTLY, current, help_text
from bot.config import Settings
from messages import Format, Renderer
from storage import open_database
from storage.outbox_health import OldestWaiting, StateCount

outbox_app = typer.Typer(help=help_text("help.outbox_group"),
                         no_args_is_help=True)

STATE_ORDER = ("pending", "retry", "sending", "sent", "expired", "failed", "dead", "cancelled")
GIVEN_UP = ("expired", "failed")


def _number(value: int) -> str:
    """1.234 as Vietnamese write thousands."""
    return f"{value:,}".replace(",", ".")


def _channels(counts: list[StateCount]) -> list[dict[str, Any]]:
    grouped: dict[str, list[StateCount]] = {}
    for count in counts:
        grouped.setdefault(count.channel, []).append(count)
    return [
        {"name": channel,
         "states": [{"state": c.state, "count": _number(c.count)}
                    for c in sorted(rows, key=lambda c: STATE_ORDER.index(c.state)
                                    if c.state in STATE_ORDER else len(STATE_ORDER))]}
        for channel, rows in sorted(grouped.items())
    ]


def _age(oldest: OldestWaiting | None, now: datetime) -> dict[str, int]:
    if oldest is None:
        return {"days": 0, "hours": 0, "minutes": 0}
    minutes = max(0, int((now - oldest.queued_at).total_seconds() // 60))
    return {"days": minutes // 1440, "hours": minutes % 1440 // 60, "minutes": minutes % 60}


@outbox_app.command("status", help=help_text("help.cmd_outbox_status"))
def status(
    as_json: Annotated[bool, typer.Option("--json", help=help_text("help.opt_json"))] = False,
) -> None:
    """Rows per state and channel, and how long the oldest waiting one has waited.

    Exit code 3 when some rows were given up (refused or expired): `outbox retry` sends them.
    """
    settings = Settings()

    async def load() -> tuple[list[StateCount], OldestWaiting | None]:
        async with open_database(settings.db_path) as db, db.transaction() as store:
            return (await store.outbox_health.state_counts(),
                    await store.outbox_health.oldest_waiting())

    counts, oldest = asyncio.run(load())
    given_up = sum(c.count for c in counts if c.state in GIVEN_UP)
    if as_json:
        typer.echo(json.dumps({
            "states": [c.model_dump() for c in counts], "given_up": given_up,
            "oldest_waiting": oldest.model_dump(mode="json") if oldest else None,
        }, ensure_ascii=False))
    else:
        typer.echo(Renderer(settings.timezone).render(
            current(), "cli/outbox_status", Format.PLAIN, channels=_channels(counts),
            oldest=oldest, age=_age(oldest, datetime.now(UTC)),
            given_up=_number(given_up) if given_up else "",
        ))
    if given_up:
        raise typer.Exit(int(PARTLY))


@outbox_app.command("retry", help=help_text("help.cmd_outbox_retry"))
def retry(
    failed: Annotated[bool, typer.Option(
        "--failed", help=help_text("help.opt_failed")
    )] = False,
    actor: Annotated[str, typer.Option(help=help_text("help.opt_actor"))] = "cli",
) -> None:
    """Put rows that expired in an outage (and, with --failed, refused ones) back to be sent."""
    settings = Settings()

    async def run() -> int:
        now = datetime.now(UTC)
        async with open_database(settings.db_path) as db, db.transaction() as store:
            count = await store.outbox_health.requeue(now, include_failed=failed)
            await store.audit.record(actor, "outbox_retry", now, subject="outbox",
                                     details={"rows": count, "include_failed": failed})
            return count

    count = asyncio.run(run())
    typer.echo(Renderer(settings.timezone).render(
        current(), "cli/outbox_retried", Format.PLAIN, count=_number(count) if count else 0,
        include_failed=failed,
    ))
