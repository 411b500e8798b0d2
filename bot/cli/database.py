"""Before any command: say which database it uses, never create one unasked, never an old one."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.say import REFUSED, USAGE, say, stop
from bot.config import Settings
from storage.schema import schema_state

# The bot itself may start on a new database (the first run); every other command needs
# `--create` for that, so a command run from the wrong folder does not make an empty one.
CREATES = frozenset({"run", "chat", "migrate"})
# Commands that name their own files or need no database.
NO_DATABASE = frozenset({"check-config", "backup", "restore", "webhook"})


def gate(command: str | None, create: bool) -> Path | None:
    """Check the database `command` will use, say which on stderr; refuse with exit 1 if not fit.

    Returns the database's path (None when the command needs none).
    """
    settings = Settings()
    if settings.database_url is not None:  # a PostgreSQL server: migrated when opened
        if command in ("backup", "restore"):
            raise stop(USAGE, "database.postgres_tools")
        return None
    if command is None or command in NO_DATABASE:
        return None
    path = settings.db_path.absolute()
    state = schema_state(path)
    if not state.exists:
        if not create and command not in CREATES:
            raise stop(REFUSED, "database.missing", path=path, cwd=Path.cwd())
        if command != "run":
            typer.echo(say("database.created", path=path), err=True)
        return path
    if command != "run":  # run names it in its start-up line
        typer.echo(say("database.used", path=path), err=True)
    if state.newer:
        raise stop(REFUSED, "database.newer", path=path,
                   versions=", ".join(str(v) for v in state.newer))
    if state.pending and state.applied and command != "migrate":
        raise stop(REFUSED, "database.outdated", path=path, count=len(state.pending),
                   names=", ".join(state.pending))
    return path
