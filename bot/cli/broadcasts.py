"""`ocop-bot broadcasts list` and `ocop-bot broadcasts report ID [--csv FILE]`."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.products import province_code
from bot.cli.say import PARTLY, REFUSED, current, help_text, output_file, say, stop
from bot.config import Settings
from messages import Renderer
from messages.render import format_number
from messages.sheets import csv_row
from storage import open_database
from storage.broadcasts import Broadcast, DeliveryReport
from storage.timefmt import to_db

broadcasts_app = typer.Typer(help=help_text("help.broadcasts_group"), no_args_is_help=True)

CSV_COLUMNS = ("user_id", "channel", "chat_id", "producer", "commune", "status", "attempts",
               "last_error", "sent_at")
STATUS_WORDS = {"sent": "delivered", "dead": "blocked", "retry": "retrying",
                "pending": "waiting", "sending": "waiting", "failed": "failed",
                "cancelled": "cancelled"}


async def _load(
    database: Path | str, broadcast_id: int
) -> tuple[Broadcast | None, DeliveryReport, list[dict[str, Any]]]:
    async with open_database(database) as db, db.transaction() as store:
        broadcast = await store.broadcasts.get(broadcast_id)
        if broadcast is None:
            return None, DeliveryReport(), []
        return (broadcast, await store.broadcasts.report(broadcast_id),
                await store.broadcasts.recipient_rows(broadcast_id))


@broadcasts_app.command("report", help=help_text("help.cmd_broadcasts_report"))
def report(
    broadcast_id: Annotated[int, typer.Argument(help=help_text("help.opt_broadcast"))],
    csv_file: Annotated[Path | None, typer.Option("--csv", help=help_text("help.opt_csv"))]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help=help_text("help.opt_json"))] = False,
) -> None:
    """Print a broadcast's delivery counts; optionally export every recipient to CSV."""
    settings = Settings()
    if csv_file is not None:
        output_file(csv_file, ".csv")
    broadcast, counts, rows = asyncio.run(_load(settings.database, broadcast_id))
    if broadcast is None:
        raise stop(REFUSED, "broadcast_missing", id=broadcast_id)
    if as_json:
        typer.echo(json.dumps({"id": broadcast.id, "actor": broadcast.actor,
                               "province": broadcast.province_code, "status": broadcast.status,
                               "not_before": to_db(broadcast.not_before),
                               "counts": counts.model_dump()}, ensure_ascii=False))
    else:
        renderer = Renderer(settings.timezone)
        typer.echo(say("broadcast_head", id=broadcast.id, actor=broadcast.actor,
                       province=broadcast.province_code or say("all_provinces"),
                       status=say(f"broadcast_status.{broadcast.status}"),
                       when=renderer.format_datetime(broadcast.not_before)))
        for name, value in counts.model_dump().items():
            typer.echo(f"  {say('count_' + name)}: {format_number(value, current())}")
    if csv_file is not None:
        with csv_file.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(csv_row([*CSV_COLUMNS, "outcome"]))
            for row in rows:
                writer.writerow(csv_row([*(row.get(k) for k in CSV_COLUMNS),
                                         STATUS_WORDS.get(row["status"], row["status"])]))
        typer.echo(say("recipients_written", count=len(rows), file=csv_file))
    if counts.failed:  # done, but some recipients were refused: exit 3
        raise typer.Exit(int(PARTLY))


@broadcasts_app.command("list", help=help_text("help.cmd_broadcasts_list"))
def list_broadcasts(
    province: Annotated[str | None, typer.Option(
        help=help_text("help.opt_province"))] = None,
) -> None:
    """The latest broadcasts with their delivered/total counts."""
    settings = Settings()

    async def load() -> list[tuple[Broadcast, DeliveryReport]]:
        async with open_database(settings.database) as db, db.transaction() as store:
            code = await province_code(store, province) if province else None
            found = await store.broadcasts.recent(code, limit=20)
            return [(b, await store.broadcasts.report(b.id)) for b in found]

    renderer = Renderer(settings.timezone)
    for broadcast, counts in asyncio.run(load()):
        first_line = broadcast.text.splitlines()[0][:50] if broadcast.text else ""
        typer.echo(say("broadcast_row", id=broadcast.id,
                       when=renderer.format_datetime(broadcast.not_before),
                       status=say(f"broadcast_status.{broadcast.status}"),
                       delivered=format_number(counts.delivered, current()),
                       total=format_number(counts.total, current()), text=first_line))
