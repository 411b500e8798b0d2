"""`ocop-bot target set|show`, `ocop-bot report` and `ocop-bot report-monthly`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.cli.products import province_code
from bot.cli.say import REFUSED, current, help_text, output_file, say, stop
from bot.config import Settings
from messages import Renderer
from messages.render import format_number
from storage import open_database
from storage.places import commune_name, match

target_app = typer.Typer(help=help_text("help.target_group"),
                         no_args_is_help=True)
MAX_TARGET = 10_000


def scope_text(scope: str) -> str:
    """A target's scope in words: the whole province, one star level or one commune."""
    kind, _, value = scope.partition(":")
    if kind == "stars":
        return say("scope_stars", stars=value)
    if kind == "commune":
        return say("scope_commune", commune=(value.isdigit() and commune_name(int(value)))
                   or value)
    return say("scope_province")


async def _set_target(settings: Settings, province: str, year: int, products: int,
                      stars: int | None, commune: str | None) -> str:
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province)
        scope = f"stars:{stars}" if stars else ""
        if commune:  # a commune's target is kept by its official code, as the figures count
            found = await store.reference.province(code)
            places = match(found.name, commune) if found else []
            if len(places) != 1:
                raise stop(REFUSED, "target_commune_unknown", commune=commune.strip())
            scope = f"commune:{places[0][0]}"
        await store.targets.set(code, year, products, scope=scope, by="cli", now=now)
        await store.audit.record("cli", "target_set", now, subject=f"province:{code}",
                                 details={"year": year, "scope": scope, "products": products})
    return say("target_set", code=code, year=year, scope=scope_text(scope),
               products=format_number(products, current()))


@target_app.command("set", help=help_text("help.cmd_target_set"))
def target_set(
    province: Annotated[str, typer.Option(help=help_text("help.opt_province"))],
    year: Annotated[int, typer.Option(help=help_text("help.opt_year"), min=2018, max=2100)],
    products: Annotated[int, typer.Option(help=help_text("help.opt_products"), min=0,
                                          max=MAX_TARGET)],
    stars: Annotated[int | None, typer.Option(
        help=help_text("help.opt_stars"), min=3, max=5)] = None,
    commune: Annotated[str | None, typer.Option(help=help_text("help.opt_commune"))] = None,
) -> None:
    """Set the year's target of a province (or of one star level, or one commune)."""
    if stars and commune:
        raise typer.BadParameter(say("stars_or_commune"))
    typer.echo(asyncio.run(_set_target(Settings(), province, year, products, stars, commune)))


async def _show_targets(settings: Settings, province: str, year: int) -> list[str]:
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province)
        targets = await store.targets.of_province(code, year)
    return [say("target_set", code=code, year=t.year, scope=scope_text(t.scope),
                products=format_number(t.products, current())) for t in targets]


@target_app.command("show", help=help_text("help.cmd_target_show"))
def target_show(
    province: Annotated[str, typer.Option(help=help_text("help.opt_province"))],
    year: Annotated[int, typer.Option(help=help_text("help.opt_year"), min=2018, max=2100)],
) -> None:
    """List a province's targets for a year."""
    lines = asyncio.run(_show_targets(Settings(), province, year))
    typer.echo("\n".join(lines) if lines else say("target_none"))


async def _report(settings: Settings, province: str | None, year: int, path: Path) -> str:
    renderer = Renderer(settings.timezone)
    today = datetime.now(UTC).astimezone(ZoneInfo(settings.timezone)).date()
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province) if province else None
        from handlers.figures.report import report_file  # heavy (openpyxl): only when asked

        document = await report_file(store, renderer, "vi", code, year, today)
        await store.audit.record("cli", "figures_report_exported", datetime.now(UTC),
                                 subject=f"province:{code or '*'}", details={"year": year})
    path.write_bytes(document.content)
    return say("report_written", who=code or say("country"), year=year, path=path)


def report(
    file: Annotated[Path, typer.Argument(help=help_text("help.opt_xlsx_out"))],
    year: Annotated[int, typer.Option(help=help_text("help.opt_year"), min=2018, max=2100)],
    province: Annotated[str | None, typer.Option(
        help=help_text("help.opt_province_or_country"))] = None,
) -> None:
    """Write the OCOP report of a province (or the country) for a year to a spreadsheet."""
    output_file(file, ".xlsx")
    typer.echo(asyncio.run(_report(Settings(), province, year, file)))


async def _monthly(settings: Settings, province: str, on: bool) -> str:
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province)
        await store.targets.schedule(code, on, by="cli", now=now)
        await store.audit.record("cli", "figures_monthly_" + ("on" if on else "off"), now,
                                 subject=f"province:{code}")
    return say("monthly_on" if on else "monthly_off", code=code)


def report_monthly(
    province: Annotated[str, typer.Option(help=help_text("help.opt_province"))],
    off: Annotated[bool, typer.Option("--off", help=help_text("help.opt_off"))] = False,
) -> None:
    """Send a province's figures to its officers on the 1st of each month (or stop)."""
    typer.echo(asyncio.run(_monthly(Settings(), province, not off)))


def register(app: typer.Typer) -> None:
    """Add the figures commands to the main command line."""
    app.add_typer(target_app, name="target")
    app.command("report", help=help_text("help.cmd_report"))(report)
    app.command("report-monthly", help=help_text("help.cmd_report_monthly"))(report_monthly)
