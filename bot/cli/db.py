"""`ocop-bot db copy`: move the SQLite database to a PostgreSQL server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.say import current, help_text, say
from bot.config import Settings
from messages.render import format_number
from storage.engine import is_postgres

db_app = typer.Typer(help=help_text("help.db_group"), no_args_is_help=True)


@db_app.command("copy", help=help_text("help.cmd_db_copy"))
def copy(
    to: Annotated[str, typer.Option(
        "--to", help=help_text("help.opt_db_to"))],
    source: Annotated[Path | None, typer.Option(
        "--from", help=help_text("help.opt_db_from"))] = None,
) -> None:
    """Copy the SQLite database into an empty PostgreSQL one; check every table's row count.

    Stop the bot first. Then set OCOP_DATABASE_URL to the same URL and start it again.
    """
    if not is_postgres(to):
        typer.echo(say("db.not_postgres"), err=True)
        raise typer.Exit(2)
    from storage.copy import CopyRefused, copy_to_postgres  # psycopg: loaded when used
    from storage.pg_database import where

    path = source or Settings().db_path
    try:
        copied = asyncio.run(copy_to_postgres(path, to))
    except CopyRefused as error:
        typer.echo(say(f"db.refused_{error.key}", **error.context), err=True)
        raise typer.Exit(1) from None
    width = max(len(c.table) for c in copied)
    for c in copied:
        typer.echo(f"{c.table:<{width}}  {_count(c.source):>9}  →  {_count(c.target):>9}  "
                   + say("db.matches"))
    rows = sum(c.target for c in copied)
    typer.echo(say("db.copied", tables=len(copied), rows=_count(rows), source=path,
                   target=where(to)))


def _count(number: int) -> str:
    return format_number(number, current())
