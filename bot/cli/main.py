"""The `ocop-bot` command line: run the bot, chat in the terminal, manage roles."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Annotated

import psycopg
import typer
from pydantic import ValidationError

import bot.cli.rounds  # noqa: F401  (registers import rounds/trainings, export enrolments)
from bot.cli.broadcasts import broadcasts_app
from bot.cli.certified import register as register_certified
from bot.cli.criteria import register as register_criteria
from bot.cli.db import db_app
from bot.cli.figures import register as register_figures
from bot.cli.outbox import outbox_app
from bot.cli.products import province_code
from bot.cli.products import register as register_products
from bot.cli.webhook import webhook_app
from bot.config import SettingProblem, Settings, describe
from bot.instance_lock import AlreadyRunning
from bot.run import run_bot
from bot.web.serve import console_pages
from storage import open_database
from storage.models import Role

# Locals in a traceback could show a token inside a URL: never print them.
app = typer.Typer(
    help="Trợ lý OCOP — the OCOP assistant bot.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
grant_app = typer.Typer(help="Give a role to an account.", no_args_is_help=True)
app.add_typer(grant_app, name="grant")
register_products(app)  # the import and export groups, import results
register_certified(app)  # import certified, export products, claim-code
app.add_typer(webhook_app, name="webhook")
app.add_typer(broadcasts_app, name="broadcasts")
app.add_typer(outbox_app, name="outbox")
app.add_typer(db_app, name="db")
register_figures(app)  # target set|show, report, report-monthly
register_criteria(app)  # criteria load|show|versions


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


def _split_address(address: str) -> tuple[str, str]:
    channel, sep, external_id = address.partition(":")
    if not sep or channel not in ("telegram", "zalo", "terminal") or not external_id:
        raise typer.BadParameter("an account is written channel:id, e.g. telegram:12345")
    return channel, external_id


@app.command()
def run() -> None:
    """Run every channel whose token is set; the terminal chat when none is."""
    settings = _settings(terminal=None)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_until_signal(run_bot(settings, console_pages)))


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


@app.command()
def chat(user: Annotated[str, typer.Option(help="terminal user id")] = "local") -> None:
    """Chat with the bot in this terminal."""
    from bot.core import open_core
    from bot.run import run_terminal_chat

    settings = _settings(terminal=True)

    async def main() -> None:
        async with open_core(settings) as core:
            await run_terminal_chat(core, user_id=user)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


async def _grant(address: str, role: Role, province: str | None) -> str:
    settings = _settings()
    channel, external_id = _split_address(address)
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province) if province is not None else None
        user = await store.users.find(channel, external_id) or await store.users.reserve(
            channel, external_id, now
        )
        await store.users.grant(user.id, role, code, "cli", now)
        await store.audit.record(
            "cli", f"grant_{role.value}", now, subject=address, details={"province": code}
        )
        return f"{address} is now {role.value}" + (f" of {code}" if code else "")


@grant_app.command("officer")
def grant_officer(
    address: Annotated[str, typer.Argument(help="channel:id, e.g. telegram:12345")],
    province: Annotated[str, typer.Option(help="the province the officer works for")],
) -> None:
    """Make an account an officer of a province."""
    typer.echo(asyncio.run(_grant(address, Role.OFFICER, province)))


@grant_app.command("admin")
def grant_admin(address: Annotated[str, typer.Argument(help="channel:id")]) -> None:
    """Make an account an admin."""
    typer.echo(asyncio.run(_grant(address, Role.ADMIN, None)))


@app.command()
def revoke(address: Annotated[str, typer.Argument(help="channel:id")]) -> None:
    """Take an account's officer or admin role away."""
    settings = _settings()
    channel, external_id = _split_address(address)

    async def main() -> bool:
        now = datetime.now(UTC)
        async with open_database(settings.database) as db, db.transaction() as store:
            user = await store.users.find(channel, external_id)
            if user is None or not await store.users.revoke(user.id):
                return False
            await store.audit.record("cli", "revoke", now, subject=address)
            return True

    if not asyncio.run(main()):
        typer.echo(f"{address} has no role to revoke")
        raise typer.Exit(1)
    typer.echo(f"{address} is a producer again")


def main() -> None:
    """Entry point of the `ocop-bot` console script: user mistakes get a line, not a traceback."""
    try:
        app()
    except ValidationError as error:
        _fail(f"configuration error (environment or .env):\n{describe(error)}", 2)
    except AlreadyRunning as error:  # one line, already in Vietnamese
        _fail(str(error), 1)
    except SettingProblem as error:
        _fail(f"error: {error}", 1)
    except sqlite3.OperationalError as error:
        path = Settings.model_fields["db_path"].default
        with contextlib.suppress(ValidationError):
            path = Settings().db_path
        _fail(f"database error ({path}): {error}", 1)
    except psycopg.OperationalError as error:  # the PostgreSQL server: unreachable, refused
        _fail(f"database error (PostgreSQL): {error}", 1)
    except OSError as error:  # a file to read or write: missing folder, no permission
        _fail(f"error: {error}", 1)


def _fail(message: str, code: int) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(code)
