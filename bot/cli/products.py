"""`ocop-bot import results FILE`, and the `import` and `export` command groups."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.results_file import FileProblem, read_rows, write_template
from bot.cli.sheet_read import TooLarge
from bot.config import Settings
from handlers.engine.config import HandlerConfig
from handlers.rating.results_import import Plan, apply_plan, notice_horizon, plan_import
from handlers.rating.rules import add_months, local_today
from messages import Renderer
from messages.text import search
from storage import Store, open_database

import_app = typer.Typer(help="Import data from spreadsheets.", no_args_is_help=True)
export_app = typer.Typer(help="Export data to spreadsheets.", no_args_is_help=True)

def register(app: typer.Typer) -> None:
    """Add the `import` and `export` command groups to the CLI."""
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")


async def province_code(store: Store, typed: str) -> str:
    """The code of the one province whose name, former name or code matches `typed`."""
    provinces = await store.reference.provinces()
    found = search(typed, [(p.code, (p.name, p.code, *p.former)) for p in provinces])
    if len(found) != 1:
        names = ", ".join(p.name for p in provinces if p.code in found)
        raise typer.BadParameter(
            f"no single province matches {typed!r}" + (f": it could be {names}" if names else "")
        )
    return found[0]


def _reason(renderer: Renderer, code: str, details: dict[str, Any]) -> str:
    text = renderer.label("en", f"results_reason.{code}")
    shown = ", ".join(f"{key} {value}" for key, value in details.items() if value != "")
    return f"{text} ({shown})" if shown else text


def _preview(plan: Plan, config: HandlerConfig, now: datetime) -> list[str]:
    lines = []
    horizon = notice_horizon(config, now)
    for row, result in plan.results:
        verdict = (
            f"{result.stars}★ certificate {result.certificate_number}"
            if result.band.certified
            else f"{result.stars}★ not certified"
        )
        if result.potential:
            verdict += f" (potential {result.band.stars}★, for the ministry)"
        expires = (
            add_months(result.decision_date, config.cert_validity_months)
            if result.band.certified and result.decision_date else None
        )
        if expires is not None and expires < local_today(now, config):
            verdict += (f" — expired on {expires:%d/%m/%Y}: recorded as expired,"
                        " no congratulation is sent")
        elif expires is not None and expires <= horizon:
            verdict += (f" — expires on {expires:%d/%m/%Y}: the expiry reminder is sent"
                        " instead of a congratulation")
        lines.append(
            f"row {row}: #{result.product.id} {result.product.name}: "
            f"{result.score:g} points → {verdict}"
        )
    return lines


async def _import(
    settings: Settings, path: Path, province: str | None, actor: str, yes: bool, dry_run: bool
) -> int:
    renderer = Renderer(settings.timezone)
    config = settings.handler_config()
    try:
        rows = read_rows(path, renderer)
    except TooLarge as problem:
        typer.echo(f"refused: {problem.explain(renderer)}", err=True)
        return 2
    except (FileProblem, OSError, UnicodeDecodeError) as problem:
        typer.echo(f"refused: {problem}", err=True)
        return 2
    async with open_database(settings.database) as db:
        async with db.transaction() as store:
            code = await province_code(store, province) if province else None
            plan = await plan_import(store, rows, datetime.now(UTC), config, code)
        typer.echo(f"{len(rows)} rows read from {path.name}")
        for line in _preview(plan, config, datetime.now(UTC)):
            typer.echo(f"  {line}")
        if not plan.ok:
            typer.echo(f"{len(plan.refused)} rows refused; nothing was recorded:", err=True)
            for row, reasons in plan.refused:
                text = "; ".join(_reason(renderer, c, d) for c, d in reasons)
                typer.echo(f"  row {row}: {text}", err=True)
            return 1
        if not plan.results:
            typer.echo("no results in the file")
            return 1
        if dry_run or not (yes or typer.confirm(f"Record {len(plan.results)} results?")):
            typer.echo("nothing was recorded")
            return 0
        async with db.transaction() as store:  # checked again: the bot may have changed things
            now = datetime.now(UTC)
            plan = await plan_import(store, rows, now, config, code)
            if not plan.ok:
                typer.echo("the data changed since the preview; nothing was recorded", err=True)
                return 1
            notices = await apply_plan(store, renderer, config, plan, actor, now)
    typer.echo(f"recorded {len(plan.results)} results; {len(notices)} producers notified")
    return 0


@import_app.command("results")
def import_results(
    file: Annotated[Path, typer.Argument(help="the results file, .xlsx or .csv")],
    template: Annotated[
        bool, typer.Option("--template", help="write an empty template to FILE instead")
    ] = False,
    province: Annotated[
        str | None, typer.Option(help="refuse rows of products of other provinces")
    ] = None,
    actor: Annotated[str, typer.Option(help="who records, for the audit log")] = "cli",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="apply without asking")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check and preview only")] = False,
) -> None:
    """Record rating results after a council meeting: all rows, or none."""
    settings = Settings()
    if template:
        if file.exists():
            typer.echo(f"refused: {file} exists", err=True)
            raise typer.Exit(2)
        write_template(file, Renderer(settings.timezone))
        typer.echo(f"template written to {file}")
        return
    code = asyncio.run(_import(settings, file, province, actor, yes, dry_run))
    if code:
        raise typer.Exit(code)
