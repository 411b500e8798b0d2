"""`ocop-bot target set|show`, `ocop-bot report` and `ocop-bot report-monthly`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.cli.products import province_code
from bot.config import Settings
from handlers.figures.report import report_file
from messages import Renderer
from storage import open_database

target_app = typer.Typer(help="The year's targets of newly certified products.",
                         no_args_is_help=True)
MAX_TARGET = 10_000


async def _set_target(settings: Settings, province: str, year: int, products: int,
                      stars: int | None, commune: str | None) -> str:
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province)
        scope = f"stars:{stars}" if stars else f"commune:{commune.strip()}" if commune else ""
        await store.targets.set(code, year, products, scope=scope, by="cli", now=now)
        await store.audit.record("cli", "target_set", now, subject=f"province:{code}",
                                 details={"year": year, "scope": scope, "products": products})
    part = f" ({scope})" if scope else ""
    return f"target of {code} for {year}{part}: {products} newly certified products"


@target_app.command("set")
def target_set(
    province: Annotated[str, typer.Option(help="the province (name or code)")],
    year: Annotated[int, typer.Option(help="the year", min=2018, max=2100)],
    products: Annotated[int, typer.Option(help="newly certified products", min=0,
                                          max=MAX_TARGET)],
    stars: Annotated[int | None, typer.Option(help="only this star level", min=3, max=5)] = None,
    commune: Annotated[str | None, typer.Option(help="only this commune")] = None,
) -> None:
    """Set the year's target of a province (or of one star level, or one commune)."""
    if stars and commune:
        raise typer.BadParameter("give --stars or --commune, not both")
    typer.echo(asyncio.run(_set_target(Settings(), province, year, products, stars, commune)))


async def _show_targets(settings: Settings, province: str, year: int) -> list[str]:
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province)
        targets = await store.targets.of_province(code, year)
    return [f"{code} {t.year} {t.scope or 'province'}: {t.products}" for t in targets]


@target_app.command("show")
def target_show(
    province: Annotated[str, typer.Option(help="the province (name or code)")],
    year: Annotated[int, typer.Option(help="the year", min=2018, max=2100)],
) -> None:
    """List a province's targets for a year."""
    lines = asyncio.run(_show_targets(Settings(), province, year))
    typer.echo("\n".join(lines) if lines else "no target set")


async def _report(settings: Settings, province: str | None, year: int, path: Path) -> str:
    renderer = Renderer(settings.timezone)
    today = datetime.now(UTC).astimezone(ZoneInfo(settings.timezone)).date()
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province) if province else None
        document = await report_file(store, renderer, "vi", code, year, today)
        await store.audit.record("cli", "figures_report_exported", datetime.now(UTC),
                                 subject=f"province:{code or '*'}", details={"year": year})
    path.write_bytes(document.content)
    return f"report of {code or 'the whole country'} for {year} written to {path}"


def report(
    file: Annotated[Path, typer.Argument(help="the .xlsx file to write")],
    year: Annotated[int, typer.Option(help="the year", min=2018, max=2100)],
    province: Annotated[str | None, typer.Option(
        help="the province (name or code); without it, the whole country")] = None,
) -> None:
    """Write the OCOP report of a province (or the country) for a year to a spreadsheet."""
    typer.echo(asyncio.run(_report(Settings(), province, year, file)))


async def _monthly(settings: Settings, province: str, on: bool) -> str:
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province)
        await store.targets.schedule(code, on, by="cli", now=now)
        await store.audit.record("cli", "figures_monthly_" + ("on" if on else "off"), now,
                                 subject=f"province:{code}")
    return f"monthly figures for the officers of {code}: {'on' if on else 'off'}"


def report_monthly(
    province: Annotated[str, typer.Option(help="the province (name or code)")],
    off: Annotated[bool, typer.Option("--off", help="stop sending them")] = False,
) -> None:
    """Send a province's figures to its officers on the 1st of each month (or stop)."""
    typer.echo(asyncio.run(_monthly(Settings(), province, not off)))


def register(app: typer.Typer) -> None:
    """Add the figures commands to the main command line."""
    app.add_typer(target_app, name="target")
    app.command("report")(report)
    app.command("report-monthly")(report_monthly)
