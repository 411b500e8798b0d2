"""`ocop-bot import rounds|trainings FILE.xlsx` and `ocop-bot export enrolments ID FILE.xlsx`.

Importing this module adds the commands to the `import` and `export` groups of cli_products.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from bot.cli.products import export_app, import_app
from bot.cli.rounds_file import (
    ROUND_COLUMNS,
    TRAINING_COLUMNS,
    Checked,
    FileProblem,
    check_rounds,
    check_trainings,
    column_name,
    read_sheet,
)
from bot.cli.say import PARTLY, REFUSED, confirm, help_text, output_file, say, stop
from bot.cli.sheet_read import TooLarge
from bot.config import Settings
from handlers.rounds.announce import announce_round
from handlers.trainings.announce import announce_training
from handlers.trainings.common import attendance_file
from messages import Renderer
from storage import Store, open_database

Checker = Callable[[Store, list[tuple[int, dict[str, Any]]], datetime, ZoneInfo],
                   Awaitable[Checked]]


def _describe(item: Any, zone: ZoneInfo) -> str:
    local = {k: v.astimezone(zone).strftime("%d/%m/%Y %H:%M") for k, v in item if
             isinstance(v, datetime)}
    name = getattr(item, "name", None) or getattr(item, "title", "")
    return f"{name} [{item.province_code}] " + ", ".join(f"{column_name(k)} {v}"
                                                         for k, v in local.items())


async def _import(
    settings: Settings, path: Path, kind: str, yes: bool, dry_run: bool, actor: str
) -> int:
    columns = ROUND_COLUMNS if kind == "rounds" else TRAINING_COLUMNS
    check: Checker = check_rounds if kind == "rounds" else check_trainings
    zone = ZoneInfo(settings.timezone)
    try:
        rows = read_sheet(path, columns)
    except TooLarge as problem:
        typer.echo(say("results.refused_file", problem=problem.explain(
            Renderer(settings.timezone))), err=True)
        return 2
    except (FileProblem, OSError) as problem:
        typer.echo(say("results.refused_file", problem=problem), err=True)
        return 2
    async with open_database(settings.database) as db:
        async with db.transaction() as store:
            checked = await check(store, rows, datetime.now(UTC), zone)
        typer.echo(say("sheet.read", count=len(rows), file=path.name, good=len(checked.good)))
        for number, item in checked.good:
            typer.echo("  " + say("sheet.row", row=number, text=_describe(item, zone)))
        for number, reasons in checked.refused:
            typer.echo("  " + say("sheet.row_refused", row=number, reasons="; ".join(reasons)),
                       err=True)
        if not checked.good:
            return 1
        what = say(f"sheet.{kind}")
        if dry_run or not (yes or confirm(say("sheet.confirm", count=len(checked.good),
                                                     what=what))):
            typer.echo(say("sheet.nothing"))
            return 0
        async with db.transaction() as store:  # one transaction; checked again against now
            now = datetime.now(UTC)
            again = await check(store, rows, now, zone)
            if [n for n, _ in again.good] != [n for n, _ in checked.good]:
                typer.echo(say("sheet.changed"), err=True)
                return 1
            renderer, announced = Renderer(settings.timezone), 0
            for _, item in again.good:
                if kind == "rounds":
                    new_id = await store.rounds.create(item, actor, now)
                    rnd = await store.rounds.get(new_id)
                    assert rnd is not None
                    announced += await announce_round(store, renderer, rnd, now, zone)
                else:
                    new_id = await store.trainings.create(item, actor, now)
                    training = await store.trainings.get(new_id)
                    assert training is not None
                    announced += await announce_training(store, renderer, training, now)
                await store.audit.record(actor, f"{kind[:-1]}_imported", now,
                                         subject=f"{kind[:-1]}:{new_id}",
                                         details={"file": path.name})
    typer.echo(say("sheet.imported", count=len(checked.good), what=what,
                   refused=len(checked.refused), announced=announced))
    return int(PARTLY) if checked.refused else 0  # done, with refused rows listed


@import_app.command("rounds", help=help_text("help.cmd_import_rounds"))
def import_rounds(
    file: Annotated[Path, typer.Argument(help=help_text("help.opt_rounds_file"))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=help_text("help.opt_yes"))] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=help_text("help.opt_dry_run"))] = False,
    actor: Annotated[str, typer.Option(help=help_text("help.opt_actor"))] = "cli",
) -> None:
    """Create rating rounds from a sheet: valid rows in one transaction, refused rows listed."""
    code = asyncio.run(_import(Settings(), file, "rounds", yes, dry_run, actor))
    if code:
        raise typer.Exit(code)


@import_app.command("trainings", help=help_text("help.cmd_import_trainings"))
def import_trainings(
    file: Annotated[Path, typer.Argument(help=help_text("help.opt_trainings_file"))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=help_text("help.opt_yes"))] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=help_text("help.opt_dry_run"))] = False,
    actor: Annotated[str, typer.Option(help=help_text("help.opt_actor"))] = "cli",
) -> None:
    """Publish trainings from a sheet: valid rows in one transaction, refused rows listed."""
    code = asyncio.run(_import(Settings(), file, "trainings", yes, dry_run, actor))
    if code:
        raise typer.Exit(code)


async def _export(settings: Settings, training_id: int, path: Path) -> int | None:
    renderer = Renderer(settings.timezone)
    async with open_database(settings.database) as db, db.transaction() as store:
        training = await store.trainings.get(training_id)
        if training is None:
            return None
        people = await store.trainings.attendees(training_id)
        await store.audit.record("cli", "training_attendance_exported", datetime.now(UTC),
                                 subject=f"training:{training_id}")
    path.write_bytes(attendance_file(renderer, "vi", training, people).content)
    return len(people)


@export_app.command("enrolments", help=help_text("help.cmd_export_enrolments"))
def export_enrolments(
    training_id: Annotated[int, typer.Argument(help=help_text("help.opt_training"))],
    file: Annotated[Path, typer.Argument(help=help_text("help.opt_xlsx_out"))],
) -> None:
    """Write a training's attendance list (enrolled, then waiting) to a spreadsheet."""
    output_file(file, ".xlsx")
    count = asyncio.run(_export(Settings(), training_id, file))
    if count is None:
        raise stop(REFUSED, "sheet.no_training", id=training_id)
    typer.echo(say("sheet.people_written", count=count, file=file))
