"""`ocop-bot outbox status` and `ocop-bot outbox retry [--failed]`: see and resend what failed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from bot.config import Settings
from messages import Format, Renderer
from storage import open_database
from storage.outbox_health import OldestWaiting, StateCount

outbox_app = typer.Typer(help="The queue of messages the bot sends by itself.",
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


@outbox_app.command("status")
def status() -> None:
    """Rows per state and channel, and how long the oldest waiting one has waited."""
    settings = Settings()

    async def load() -> tuple[list[StateCount], OldestWaiting | None]:
        async with open_database(settings.database) as db, db.transaction() as store:
            return (await store.outbox_health.state_counts(),
                    await store.outbox_health.oldest_waiting())

    counts, oldest = asyncio.run(load())
    given_up = sum(c.count for c in counts if c.state in GIVEN_UP)
    typer.echo(Renderer(settings.timezone).render(
        "vi", "cli/outbox_status", Format.PLAIN, channels=_channels(counts), oldest=oldest,
        age=_age(oldest, datetime.now(UTC)), given_up=_number(given_up) if given_up else "",
    ))


@outbox_app.command("retry")
def retry(
    failed: Annotated[bool, typer.Option(
        "--failed", help="also resend rows the platform refused (bad request), not only expired"
    )] = False,
    actor: Annotated[str, typer.Option(help="who asks, for the audit log")] = "cli",
) -> None:
    """Put rows that expired in an outage (and, with --failed, refused ones) back to be sent."""
    settings = Settings()

    async def run() -> int:
        now = datetime.now(UTC)
        async with open_database(settings.database) as db, db.transaction() as store:
            count = await store.outbox_health.requeue(now, include_failed=failed)
            await store.audit.record(actor, "outbox_retry", now, subject="outbox",
                                     details={"rows": count, "include_failed": failed})
            return count

    count = asyncio.run(run())
    typer.echo(Renderer(settings.timezone).render(
        "vi", "cli/outbox_retried", Format.PLAIN, count=_number(count) if count else 0,
        include_failed=failed,
    ))
