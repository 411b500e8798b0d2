"""The `ocop-bot` command line: run the bot, chat in the terminal, manage roles."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
from collections.abc import Coroutine
from typing import Annotated

import typer
from pydantic import ValidationError
from typer.core import TyperGroup

import bot.cli.rounds  # noqa: F401  (registers import rounds/trainings, export enrolments)
from bot.cli import ops
from bot.cli.broadcasts import broadcasts_app
from bot.cli.certified import register as register_certified
from bot.cli.criteria import register as register_criteria
from bot.cli.database import gate
from bot.cli.db import db_app
from bot.cli.figures import register as register_figures
from bot.cli.invitations import register as register_invitations
from bot.cli.outbox import outbox_app
from bot.cli.pg_check import shown_database, unreachable
from bot.cli.places import register as register_places
from bot.cli.products import register as register_products
from bot.cli.roles import register as register_roles
from bot.cli.rules import rules_app
from bot.cli.say import (
    REFUSED,
    USAGE,
    current,
    database_problem,
    file_problem,
    help_text,
    language,
    say,
    use,
)
from bot.cli.startup import announce, start_checks, version
from bot.cli.usage import invoke
from bot.cli.webhook import webhook_app
from bot.config import SettingProblem, Settings
from bot.config_report import describe, unknown_lines, unknown_variables
from bot.instance_lock import AlreadyRunning
from bot.preflight import ConfigurationError
from bot.redact import install as install_redaction
from bot.redact import secrets_of
from storage.schema import NewerSchema

# Locals in a traceback could show a token inside a URL: never print them.
app = typer.Typer(
    help=help_text("app_help"),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
register_roles(app)  # grant officer|admin, revoke
register_products(app)  # the import and export groups, import results
register_certified(app)  # import certified, export products, claim-code
app.add_typer(webhook_app, name="webhook")
app.add_typer(broadcasts_app, name="broadcasts")
app.add_typer(outbox_app, name="outbox")
app.add_typer(rules_app, name="rules")
app.add_typer(db_app, name="db")
register_figures(app)  # target set|show, report, report-monthly
register_criteria(app)  # criteria load|show|versions
register_places(app)  # communes-unplaced
register_invitations(app)  # invitations --province P FILE.pdf
ops.register(app)  # check-config, migrate, backup, restore


def _show_version(value: bool) -> None:
    if value:
        typer.echo(say("version", version=version()))
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    show_version: Annotated[bool, typer.Option(
        "--version", help=help_text("version_help"), is_eager=True, callback=_show_version,
    )] = False,
    lang: Annotated[str, typer.Option("--lang", help=help_text("lang_help"))] = "vi",
    create: Annotated[bool, typer.Option("--create", help=help_text("create_help"))] = False,
) -> None:
    """Before every command: the database it will use, checked and named."""
    if lang not in ("vi", "en"):
        raise typer.BadParameter(say("help.opt_lang"), param_hint="--lang")
    use(lang if lang != "vi" else language())  # a sub-command's own --lang counts too
    if "--help" not in sys.argv[1:] and not _bare_group(ctx):
        install_redaction(secrets_of(Settings()))  # before anything can log
        gate(ctx.invoked_subcommand, create)


def _bare_group(ctx: typer.Context) -> bool:
    """`ocop-bot outbox` alone: the group only shows its commands, no database needed."""
    name = ctx.invoked_subcommand
    group = ctx.command.commands.get(name or "") if isinstance(ctx.command, TyperGroup) else None
    return isinstance(group, TyperGroup) and sys.argv[-1] == name


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _settings(terminal: bool | None = False) -> Settings:
    """Read the settings and set up logging.

    In the terminal chat the log would mix with the conversation: it goes to `ocop-bot.log`
    next to the database, and only warnings and errors also show in the terminal. `None`:
    the terminal chat if no channel has a token (`ocop-bot run`).
    """
    settings = Settings()
    if terminal is None:
        terminal = settings.telegram_bot_token is None and settings.zalo_bot_token is None
    if terminal:
        log_file = settings.db_path.parent / "ocop-bot.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(log_file, encoding="utf-8")
        to_file.setFormatter(logging.Formatter(LOG_FORMAT))
        on_screen = logging.StreamHandler()
        on_screen.setLevel(logging.WARNING)
        on_screen.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logging.basicConfig(level=settings.log_level.upper(), handlers=[to_file, on_screen])
    else:
        logging.basicConfig(level=settings.log_level.upper(), format=LOG_FORMAT)
    # httpx logs every request URL at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return settings


@app.command(help=help_text("run_help"))
def run() -> None:
    """Run every channel whose token is set; the terminal chat when none is."""
    from bot.run import run_bot  # every channel and the console: loaded by `run` only
    from bot.web.serve import console_pages

    settings = _settings(terminal=None)
    start_checks(settings)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_until_signal(run_bot(settings, console_pages,
                                          on_start=lambda granted: announce(settings, granted))))


async def _until_signal(work: Coroutine[object, object, None]) -> None:
    """Run `work`; SIGTERM (systemd, docker stop) ends it cleanly, like Ctrl+C."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)


@app.command(help=help_text("chat_help"))
def chat(user: Annotated[str, typer.Option(help=help_text("user_help"))] = "local") -> None:
    """Chat with the bot in this terminal."""
    from bot.core import open_core
    from bot.run import run_terminal_chat

    settings = _settings(terminal=True)

    async def main() -> None:
        async with open_core(settings) as core:
            await run_terminal_chat(core, user_id=user)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


def main() -> None:
    """Entry point of the `ocop-bot` console script: user mistakes get a line, not a traceback."""
    try:
        code = invoke(app)
    except ValidationError as error:
        for line in unknown_lines(unknown_variables(), current()):  # often a misspelling
            print(line, file=sys.stderr)
        _fail(describe(error, current()), USAGE)
    except ConfigurationError as error:  # one line per variable, already worded
        _fail(str(error), USAGE)
    except AlreadyRunning as error:  # one line, already in Vietnamese
        _fail(str(error), REFUSED)
    except SettingProblem as error:  # worded for people when it has a key
        shown = say(f"setting.{error.key}", **error.context) if error.key else error
        _fail(say("error", error=shown), REFUSED)
    except NewerSchema as error:  # a worker of an older version on an upgraded database
        _fail(say("database.newer", path=shown_database(Settings()),
                  versions=", ".join(map(str, error.versions))), REFUSED)
    except sqlite3.Error as error:
        path = Settings.model_fields["db_path"].default
        with contextlib.suppress(ValidationError):
            path = Settings().db_path
        logging.getLogger(__name__).info("database %s: %s", path, error)  # SQLite's words
        _fail(say("database_error", path=path, error=database_problem(error)), REFUSED)
    except OSError as error:  # a file to read or write: missing folder, no permission
        _fail(say("file_error", error=file_problem(error)), REFUSED)
    except Exception as error:
        if not _postgres_unreachable(error):
            raise
        _fail(unreachable(Settings().database, error), REFUSED)
    else:
        if code:
            raise SystemExit(code)


def _postgres_unreachable(error: Exception) -> bool:
    """Whether the PostgreSQL server could not be reached or refused us (psycopg is loaded
    only on that engine: without it, no such error)."""
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.OperationalError)


def _fail(message: str, code: int) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(code)
