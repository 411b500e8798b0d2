"""`ocop-bot communes-unplaced`: producers whose typed commune matches no commune or ward of
their province (after the 2025 reform), for an officer to correct."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.cli.products import province_code
from bot.cli.say import current, help_text
from bot.config import Settings
from messages import Format, Renderer
from storage import open_database


async def _unplaced(settings: Settings, province: str | None, lang: str) -> str:
    async with open_database(settings.database) as db, db.reading() as store:
        code = await province_code(store, province) if province else None
        rows = await store.places.unplaced(code)
    return Renderer(settings.timezone).render(
        lang, "cli/communes_unplaced", Format.PLAIN,
        rows=[{"id": r[0], "name": r[1], "province": r[2], "typed": r[3]} for r in rows])


def communes_unplaced(
    province: Annotated[str | None, typer.Option(help=help_text("help.opt_province"))] = None,
    lang: Annotated[str, typer.Option("--lang", help=help_text("help.opt_lang"))] = "vi",
) -> None:
    """List producers whose commune is no known commune or ward of their province."""
    typer.echo(asyncio.run(_unplaced(Settings(), province, "en" if lang == "en" else current())))


def register(app: typer.Typer) -> None:
    """Add the places command to the main command line."""
    app.command("communes-unplaced",
                help=help_text("help.cmd_communes_unplaced"))(communes_unplaced)
