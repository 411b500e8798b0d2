"""`ocop-bot db copy`: move the SQLite database to a PostgreSQL server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.say import REFUSED, USAGE, current, help_text, say, stop
from bot.config import Settings
from messages.render import format_number
from storage.engine import is_postgres

db_app = typer.Typer(help=help_text("help.db_group"), no_args_is_help=True)


@db_app.command("copy", help=help_text("help.cmd_db_copy"))
def copy(
    to: Annotated[str, typer.Option(
        "--to", help=help_text("help.opt_copy_to"))],
    source: Annotated[Path | None, typer.Option(
        "--from", help=help_text("help.opt_copy_from"))] = None,
) -> None:
    """Copy the SQLite database into an empty PostgreSQL one; check every table's row count.

    Stop the bot first. Then set OCOP_DATABASE_URL to the same URL and start it again.
    """
    if not is_postgres(to):
        raise stop(USAGE, "copy_not_postgres")
    from storage.copy import CopyRefused, copy_to_postgres  # psycopg: loaded when used
    from storage.pg_database import where

    path = source or Settings().db_path
    try:
        copied = asyncio.run(copy_to_postgres(path, to))
    except CopyRefused as error:
        raise stop(REFUSED, "copy_refused", error=error) from None
    width = max(len(c.table) for c in copied)
    for c in copied:
        typer.echo(f"{c.table:<{width}}  {format_number(c.source, current()):>9}  →  "
                   f"{format_number(c.target, current()):>9}  ok")
    rows = sum(c.target for c in copied)
    typer.echo(say("copied", tables=len(copied), rows=format_number(rows, current()),
                   source=path, target=where(to)))
