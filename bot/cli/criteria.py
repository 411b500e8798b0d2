"""`ocop-bot criteria load DIR|ZIP`, `criteria show --set N` and `criteria versions`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.say import current, help_text
from bot.config import Settings
from handlers.assessment.loading import load_criteria, problem_lines
from messages import Format, Renderer
from storage import open_database
from storage.criteria_files import read_folder, read_zip
from storage.criteria_models import CriteriaRefused, CriteriaSet

criteria_app = typer.Typer(help=help_text("help.criteria_group"),
                           no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `criteria` command group to the CLI."""
    app.add_typer(criteria_app, name="criteria")


def read_source(path: Path) -> dict[str, bytes]:
    """The CSV files of a folder, or inside a zip file."""
    if path.is_dir():
        return read_folder(path)
    return read_zip(path.read_bytes())


@criteria_app.command("load", help=help_text("help.cmd_criteria_load"))
def load(
    source: Annotated[Path, typer.Argument(help=help_text("help.arg_criteria_source"),
                                           exists=True)],
    version: Annotated[str | None, typer.Option(
        help=help_text("help.opt_criteria_version_load"))] = None,
    actor: Annotated[str, typer.Option(help=help_text("help.opt_actor"))] = "cli",
) -> None:
    """Check the criteria files and load them as a version; a broken file changes nothing."""
    settings = Settings()
    renderer = Renderer(settings.timezone)

    async def run() -> str:
        async with open_database(settings.database) as db, db.transaction() as store:
            bundle = await load_criteria(store, read_source(source), version, actor,
                                         datetime.now(UTC))
        options = sum(len(c.options) for s in bundle.sets for c in s.rows)
        return renderer.render(current(), "cli/criteria_loaded", Format.PLAIN,
                               version=bundle.version, sets=len(bundle.sets), options=options)

    try:
        typer.echo(asyncio.run(run()))
    except CriteriaRefused as refused:
        lines = problem_lines(renderer, current(), refused.problems)
        typer.echo(renderer.render(current(), "cli/criteria_refused", Format.PLAIN, lines=lines),
                   err=True)
        raise typer.Exit(1) from None


@criteria_app.command("show", help=help_text("help.cmd_criteria_show"))
def show(
    set_no: Annotated[int, typer.Option("--set", help=help_text("help.opt_criteria_set"),
                                        min=1)],
    version: Annotated[str | None, typer.Option(
        help=help_text("help.opt_criteria_version"))] = None,
) -> None:
    """Print one product set's criteria, options, points and star minimums."""
    settings = Settings()

    async def read() -> CriteriaSet | None:
        async with open_database(settings.database) as db, db.transaction() as store:
            chosen = version or await store.criteria.current_version()
            return await store.criteria.set_for(chosen, set_no) if chosen else None

    criteria = asyncio.run(read())
    renderer = Renderer(settings.timezone)
    if criteria is None:
        typer.echo(renderer.render(current(), "cli/criteria_missing", Format.PLAIN, set_no=set_no),
                   err=True)
        raise typer.Exit(1)
    typer.echo(renderer.render(current(), "cli/criteria_show", Format.PLAIN, criteria=criteria))


@criteria_app.command("versions", help=help_text("help.cmd_criteria_versions"))
def versions() -> None:
    """List the loaded versions of the criteria; the current one is marked."""
    settings = Settings()

    async def read() -> list[str]:
        async with open_database(settings.database) as db, db.transaction() as store:
            return [f"{'*' if v.current else ' '} {v.version}  {v.sets}  {v.loaded_at}"
                    f"  {v.loaded_by}" for v in await store.criteria.versions()]

    typer.echo("\n".join(asyncio.run(read())))
