"""`ocop-bot check-config | migrate | backup | restore`: the IT office's commands."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.pg_check import postgres_problem, shown_database
from bot.cli.say import REFUSED, current, help_text, say, stop
from bot.config import Settings
from bot.config_report import unknown_lines, unknown_variables
from bot.instance_lock import one_bot_per_database
from bot.preflight import check
from messages import Renderer
from messages.render import format_number
from storage import open_database
from storage.backup import BackupRefused, Summary, backup, restore, stamped
from storage.schema import migrations, refuse_newer, schema_state


def channels_of(settings: Settings) -> str:
    """The channels with a token, for a line."""
    names = [name for name, token in (("telegram", settings.telegram_bot_token),
                                      ("zalo", settings.zalo_bot_token)) if token is not None]
    return ", ".join(names) or say("none")


def admins_of(settings: Settings, granted: Iterable[str] = ()) -> str:
    """The admins named in OCOP_ADMINS and those granted in the database, for a line."""
    return ", ".join(sorted({*settings.admin_addresses, *granted})) or say("none")


def warn_unknown() -> None:
    """Name every OCOP_/TELEGRAM_/ZALO_ variable no setting reads, on stderr."""
    for text in unknown_lines(unknown_variables(), current()):
        typer.echo(text, err=True)


def what(summary: Summary) -> str:
    """A backup's contents in one clause."""
    return say("backup.what", version=summary.version,
               accounts=format_number(summary.accounts), products=format_number(summary.products),
               waiting=format_number(summary.waiting), size=format_number(summary.size))


def _refused(error: BackupRefused, file: Path) -> typer.Exit:
    return stop(REFUSED, f"backup.{error}", file=file)


def check_config() -> None:
    """Check the settings without starting; exit 2 with one line per wrong variable."""
    settings = Settings()
    warn_unknown()
    check(settings, current())
    if settings.database_url is not None:  # a server: it must answer (exit 1 if not)
        url = settings.database_url.get_secret_value()
        problem = postgres_problem(url)
        if problem is not None:
            typer.echo(problem, err=True)
            raise typer.Exit(int(REFUSED))
        from storage.pg_database import applied_versions  # psycopg: on that engine only

        refuse_newer(asyncio.run(applied_versions(url)))  # an older worker: one line, exit 1
    else:
        path = settings.db_path.absolute()
        state = schema_state(path)
        if state.exists and state.applied and state.pending:  # run would refuse it: say so now
            raise stop(REFUSED, "database.outdated", path=path, count=len(state.pending),
                       names=", ".join(state.pending))
    typer.echo(say("config_ok", db=shown_database(settings), channels=channels_of(settings),
                   admins=admins_of(settings)))


def migrate() -> None:
    """Upgrade the database, backed up first; refused while a bot runs on it."""
    settings = Settings()
    if settings.database_url is not None:
        migrate_server(settings.database_url.get_secret_value(), shown_database(settings))
        return
    path = settings.db_path.absolute()
    with one_bot_per_database(path, Renderer(settings.timezone)):
        state = schema_state(path)
        if state.exists and state.applied and not state.pending:
            typer.echo(say("migrate.current", db=path, version=state.version))
            return
        if state.exists and state.applied:
            saved = stamped(path, f"before-v{state.version}")
            backup(path, saved)
            typer.echo(say("migrate.saved", file=saved))

        async def apply() -> None:
            async with open_database(path):
                pass

        asyncio.run(apply())
        after = schema_state(path)
        typer.echo(say("migrate.done", db=path, version=after.version,
                       names=", ".join(state.pending) or say("none")))


def migrate_server(url: str, shown: str) -> None:
    """Apply the migrations on a PostgreSQL server (one process at a time; back it up with
    pg_dump first); a server migrated by a newer version is refused (NewerSchema)."""
    from storage.pg_database import applied_versions  # psycopg: loaded on that engine only

    async def apply() -> tuple[frozenset[int], frozenset[int]]:
        before = await applied_versions(url)
        async with open_database(url):
            pass
        return before, await applied_versions(url)

    before, after = asyncio.run(apply())
    if before and before == after:
        typer.echo(say("migrate.current", db=shown, version=max(after)))
        return
    names = [m.name for m in migrations() if m.version in after - before]
    typer.echo(say("migrate.done", db=shown, version=max(after, default=0),
                   names=", ".join(names) or say("none")))


def backup_command(
    file: Annotated[Path, typer.Argument(help=help_text("backup_file_help"))],
) -> None:
    """Back the database up into FILE, online."""
    path = Settings().db_path.absolute()
    if file.absolute() == path:
        raise stop(REFUSED, "backup.same", file=file)
    try:
        summary = backup(path, file)
    except BackupRefused as error:
        raise _refused(error, path) from None
    typer.echo(say("backup.done", db=path, file=file.absolute(), what=what(summary)))


def restore_command(
    file: Annotated[Path, typer.Argument(help=help_text("restore_file_help"))],
) -> None:
    """Restore the database from FILE; refused while a bot runs on it."""
    settings = Settings()
    path = settings.db_path.absolute()
    if file.absolute() == path:
        raise stop(REFUSED, "backup.same", file=file)
    with one_bot_per_database(path, Renderer(settings.timezone)):
        try:
            summary, kept = restore(file, path)
        except BackupRefused as error:
            raise _refused(error, file) from None
    typer.echo(say("restore.done", db=path, file=file.absolute(), what=what(summary)))
    if kept is not None:
        typer.echo(say("restore.kept", kept=kept))
    if schema_state(path).pending:
        typer.echo(say("restore.outdated"))


def register(app: typer.Typer) -> None:
    """Add the commands to the `ocop-bot` app."""
    app.command("check-config", help=help_text("check_help"))(check_config)
    app.command("migrate", help=help_text("migrate_help"))(migrate)
    app.command("backup", help=help_text("backup_help"))(backup_command)
    app.command("restore", help=help_text("restore_help"))(restore_command)

