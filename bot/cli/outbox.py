"""`ocop-bot outbox status` and `ocop-bot outbox retry [--failed]`: see and resend what failed."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from bot.channels.zalo_quota import CHANNEL as ZALO
from bot.channels.zalo_quota import plan_of
from bot.cli.say import PARTLY, current, help_text
from bot.config import Settings
from messages import Format, Renderer
from storage import open_database
from storage.channel_usage import ChannelUsage
from storage.outbox_health import OldestWaiting, StateCount, Unreachable

outbox_app = typer.Typer(help=help_text("help.outbox_group"),
                         no_args_is_help=True)

STATE_ORDER = ("pending", "retry", "sending", "sent", "expired", "failed", "dead", "cancelled")
GIVEN_UP = ("expired", "failed")
FAILING_FOR = timedelta(days=3)  # a person whose messages fail this long is listed


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
    now = datetime.now(UTC)
    plan = plan_of(settings)

    async def load() -> tuple[list[StateCount], OldestWaiting | None, list[Unreachable],
                              ChannelUsage]:
        async with open_database(settings.database) as db, db.transaction() as store:
            return (await store.outbox_health.state_counts(),
                    await store.outbox_health.oldest_waiting(),
                    await store.outbox_health.unreachable(now, FAILING_FOR),
                    await store.channel_usage.get(ZALO, plan.month(now)))

    counts, oldest, unreachable, usage = asyncio.run(load())
    given_up = sum(c.count for c in counts if c.state in GIVEN_UP)
    renderer = Renderer(settings.timezone)
    zalo = ""
    if settings.zalo_bot_token is not None or usage.used:
        zalo = renderer.render(current(), "zalo/quota_used", Format.PLAIN,
                               **plan.shown(usage, now))
    if as_json:
        typer.echo(json.dumps({
            "states": [c.model_dump() for c in counts], "given_up": given_up,
            "oldest_waiting": oldest.model_dump(mode="json") if oldest else None,
            "zalo": {"month": plan.month(now), "used": usage.used, "limit": plan.limit},
            "unreachable": [u.model_dump(mode="json") for u in unreachable],
        }, ensure_ascii=False))
    else:
        typer.echo(renderer.render(
            current(), "cli/outbox_status", Format.PLAIN, channels=_channels(counts),
            oldest=oldest, age=_age(oldest, now), given_up=_number(given_up) if given_up else "",
            zalo=zalo, unreachable=unreachable,
        ))
    if given_up:
        raise typer.Exit(int(PARTLY))


@outbox_app.command("resume", help=help_text("help.cmd_outbox_resume"))
def resume(
    actor: Annotated[str, typer.Option(help=help_text("help.opt_actor"))] = "cli",
) -> None:
    """Send on Zalo again now, before the month renews (after the plan was upgraded)."""
    settings = Settings()
    now = datetime.now(UTC)
    month = plan_of(settings).month(now)

    async def run() -> bool:
        async with open_database(settings.database) as db, db.transaction() as store:
            lifted = await store.channel_usage.resume(ZALO, month, now)
            await store.outbox.release_held(ZALO, now)
            await store.audit.record(actor, "zalo_quota_resumed", now, subject="outbox",
                                     details={"month": month, "was_paused": lifted})
            return lifted

    lifted = asyncio.run(run())
    typer.echo(Renderer(settings.timezone).render(
        current(), "cli/outbox_resumed", Format.PLAIN, lifted=lifted))


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
        async with open_database(settings.database) as db, db.transaction() as store:
            count = await store.outbox_health.requeue(now, include_failed=failed)
            await store.audit.record(actor, "outbox_retry", now, subject="outbox",
                                     details={"rows": count, "include_failed": failed})
            return count

    count = asyncio.run(run())
    typer.echo(Renderer(settings.timezone).render(
        current(), "cli/outbox_retried", Format.PLAIN, count=_number(count) if count else 0,
        include_failed=failed,
    ))
