"""`ocop-bot broadcasts list` and `ocop-bot broadcasts report ID [--csv FILE]`."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.config import Settings
from messages.sheets import csv_row
from storage import open_database
from storage.broadcasts import Broadcast, DeliveryReport
from storage.timefmt import to_db

broadcasts_app = typer.Typer(help="Officer broadcasts and their delivery.", no_args_is_help=True)

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


@broadcasts_app.command("report")
def report(
    broadcast_id: Annotated[int, typer.Argument(help="the broadcast number (#ID)")],
    csv_file: Annotated[Path | None, typer.Option("--csv", help="write one line per recipient")]
    = None,
) -> None:
    """Print a broadcast's delivery counts; optionally export every recipient to CSV."""
    settings = Settings()
    broadcast, counts, rows = asyncio.run(_load(settings.database, broadcast_id))
    if broadcast is None:
        typer.echo(f"no broadcast #{broadcast_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"broadcast #{broadcast.id} by {broadcast.actor}"
               f" ({broadcast.province_code or 'all provinces'}), {broadcast.status},"
               f" not before {to_db(broadcast.not_before)}")
    for name, value in counts.model_dump().items():
        typer.echo(f"{name:>10}: {value}")
    if csv_file is not None:
        with csv_file.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(csv_row([*CSV_COLUMNS, "outcome"]))
            for row in rows:
                writer.writerow(csv_row([*(row.get(k) for k in CSV_COLUMNS),
                                         STATUS_WORDS.get(row["status"], row["status"])]))
        typer.echo(f"{len(rows)} recipients written to {csv_file}")


@broadcasts_app.command("list")
def list_broadcasts(
    province: Annotated[str | None, typer.Option(help="province code, e.g. VL")] = None,
) -> None:
    """The latest broadcasts with their delivered/total counts."""
    settings = Settings()

    async def load() -> list[tuple[Broadcast, DeliveryReport]]:
        async with open_database(settings.database) as db, db.transaction() as store:
            found = await store.broadcasts.recent(province, limit=20)
            return [(b, await store.broadcasts.report(b.id)) for b in found]

    for broadcast, counts in asyncio.run(load()):
        first_line = broadcast.text.splitlines()[0][:50] if broadcast.text else ""
        typer.echo(f"#{broadcast.id}\t{to_db(broadcast.not_before)}\t{broadcast.status}\t"
                   f"{counts.delivered}/{counts.total}\t{first_line}")
