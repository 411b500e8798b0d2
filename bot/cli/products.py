"""`ocop-bot import results FILE`, and the `import` and `export` command groups."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.results_file import FileProblem, read_rows, write_template
from bot.cli.say import confirm, current, file_problem, help_text, output_file, say
from bot.cli.sheet_read import TooLarge
from bot.config import Settings
from handlers.engine.config import HandlerConfig
from handlers.rating.results_import import Plan, apply_plan, notice_horizon, plan_import
from handlers.rating.rules import add_months, local_today
from messages import Renderer
from messages.render import format_number
from messages.text import search
from storage import Store, open_database

import_app = typer.Typer(help=help_text("help.import_group"), no_args_is_help=True)
export_app = typer.Typer(help=help_text("help.export_group"), no_args_is_help=True)

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
            say("province_ambiguous", typed=typed, names=names) if names
            else say("province_unknown", typed=typed),
            param_hint="--province",
        )
    return found[0]


def _reason(renderer: Renderer, code: str, details: dict[str, Any]) -> str:
    """Why a row is refused, its details named as officers say them ("mã hồ sơ 12")."""
    text = renderer.label(current(), f"results_reason.{code}")
    shown = ", ".join(_detail(renderer, key, value) for key, value in details.items()
                      if value not in ("", None))
    return f"{text} ({shown})" if shown else text


def _detail(renderer: Renderer, key: str, value: Any) -> str:
    if key == "status":
        value = renderer.label(current(), f"product_status.{value}")
    elif isinstance(value, date):
        value = renderer.format_date(value)
    try:
        return say(f"results.detail.{key}", value=value)
    except KeyError:
        return f"{key} {value}"


def _preview(plan: Plan, config: HandlerConfig, now: datetime, months: int, notice_days: int
             ) -> list[str]:
    lines = []
    horizon = notice_horizon(config, now, notice_days)
    for row, result in plan.results:
        verdict = (
            say("results.certified", stars=result.stars, number=result.certificate_number)
            if result.band.certified else say("results.not_certified", stars=result.stars)
        )
        if result.potential:
            verdict += say("results.potential", stars=result.band.stars)
        expires = (
            add_months(result.decision_date, months)
            if result.band.certified and result.decision_date else None
        )
        if expires is not None and expires < local_today(now, config):
            verdict += say("results.expired", date=f"{expires:%d/%m/%Y}")
        elif expires is not None and expires <= horizon:
            verdict += say("results.expiring", date=f"{expires:%d/%m/%Y}")
        lines.append(say("results.row", row=row, id=result.product.id, name=result.product.name,
                         score=format_number(result.score, current()), verdict=verdict))
    return lines


async def _import(
    settings: Settings, path: Path, province: str | None, actor: str, yes: bool, dry_run: bool
) -> int:
    renderer = Renderer(settings.timezone)
    config = settings.handler_config()
    try:
        rows = read_rows(path, renderer)
    except TooLarge as problem:
        typer.echo(say("results.refused_file", problem=problem.explain(renderer)), err=True)
        return 2
    except (FileProblem, OSError, UnicodeDecodeError) as problem:
        typer.echo(say("results.refused_file", problem=file_problem(problem)), err=True)
        return 2
    async with open_database(settings.database) as db:
        async with db.transaction() as store:
            code = await province_code(store, province) if province else None
            plan = await plan_import(store, rows, datetime.now(UTC), config, code)
            months = await store.rules.number("cert_validity_months")
            notice_days = await store.rules.number("rerating_opens_days")
        typer.echo(say("results.rows_read", count=len(rows), file=path.name))
        for line in _preview(plan, config, datetime.now(UTC), months, notice_days):
            typer.echo(f"  {line}")
        if not plan.ok:
            typer.echo(say("results.refused_rows", count=len(plan.refused)), err=True)
            for row, reasons in plan.refused:
                text = "; ".join(_reason(renderer, c, d) for c, d in reasons)
                typer.echo("  " + say("results.refused_row", row=row, reasons=text), err=True)
            return 1
        if not plan.results:
            typer.echo(say("results.none"))
            return 1
        if dry_run or not (yes or confirm(say("results.confirm", count=len(plan.results)))):
            typer.echo(say("results.nothing"))
            return 0
        async with db.transaction() as store:  # checked again: the bot may have changed things
            now = datetime.now(UTC)
            plan = await plan_import(store, rows, now, config, code)
            if not plan.ok:
                typer.echo(say("results.changed"), err=True)
                return 1
            notices = await apply_plan(store, renderer, config, plan, actor, now)
    typer.echo(say("results.recorded", count=len(plan.results), notified=len(notices)))
    return 0


@import_app.command("results", help=help_text("help.cmd_import_results"))
def import_results(
    file: Annotated[Path, typer.Argument(help=help_text("help.opt_results_file"))],
    template: Annotated[
        bool, typer.Option("--template", help=help_text("help.opt_template"))
    ] = False,
    province: Annotated[
        str | None, typer.Option(help=help_text("help.opt_province_only"))
    ] = None,
    actor: Annotated[str, typer.Option(help=help_text("help.opt_actor"))] = "cli",
    yes: Annotated[bool, typer.Option("--yes", "-y", help=help_text("help.opt_yes"))] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=help_text("help.opt_dry_run"))] = False,
) -> None:
    """Record rating results after a council meeting: all rows, or none."""
    settings = Settings()
    if template:
        output_file(file, ".xlsx", ".csv")
        if file.exists():
            typer.echo(say("results.template_exists", file=file), err=True)
            raise typer.Exit(2)
        write_template(file, Renderer(settings.timezone))
        typer.echo(say("results.template_written", file=file))
        return
    code = asyncio.run(_import(settings, file, province, actor, yes, dry_run))
    if code:
        raise typer.Exit(code)
