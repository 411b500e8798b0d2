"""`ocop-bot db copy`: move the SQLite database to a PostgreSQL server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.config import Settings
from storage.engine import is_postgres

db_app = typer.Typer(help="Move the data between database engines.", no_args_is_help=True)


@db_app.command("copy")
def copy(
    to: Annotated[str, typer.Option(
        "--to", help="the empty PostgreSQL database: postgresql://user:pass@host:5432/ocop")],
    source: Annotated[Path | None, typer.Option(
        "--from", help="the SQLite file (default: OCOP_DB_PATH)")] = None,
) -> None:
    """Copy the SQLite database into an empty PostgreSQL one; check every table's row count.

    Stop the bot first. Then set OCOP_DATABASE_URL to the same URL and start it again.
    """
    if not is_postgres(to):
        typer.echo("--to must be a PostgreSQL URL: postgresql://user:pass@host:5432/ocop",
                   err=True)
        raise typer.Exit(2)
    from storage.copy import CopyRefused, copy_to_postgres  # psycopg: loaded when used
    from storage.pg_database import where

    path = source or Settings().db_path
    try:
        copied = asyncio.run(copy_to_postgres(path, to))
    except CopyRefused as error:
        typer.echo(f"not copied: {error}", err=True)
        raise typer.Exit(1) from None
    width = max(len(c.table) for c in copied)
    for c in copied:
        typer.echo(f"{c.table:<{width}}  {c.source:>9,}  →  {c.target:>9,}  ok")
    rows = sum(c.target for c in copied)
    typer.echo(f"copied {len(copied)} tables, {rows:,} rows, from {path} to {where(to)};"
               " every table's row count matches")
