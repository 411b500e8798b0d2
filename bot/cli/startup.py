"""What `ocop-bot run` checks and says before it starts anything."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

import typer

from bot.cli.ops import admins_of, channels_of, warn_unknown
from bot.cli.pg_check import shown_database
from bot.cli.say import USAGE, current, say, stop
from bot.config import Settings
from bot.preflight import bind_problem, check, has_channel, listener


def version() -> str:
    """This program's version."""
    try:
        return package_version("ocop-bot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "?"


def _console(settings: Settings) -> str:
    """Where the console will be: beside the channels, or beside the terminal chat (on
    OCOP_WEB_HOST:OCOP_WEB_PORT, when that address is free); "off" otherwise."""
    place = listener(settings)
    if place is None and not has_channel(settings):
        from bot.run import with_local_console  # `run` loads it anyway, right after

        local = with_local_console(settings)
        if local.web_base_url and bind_problem(local.web_host, local.web_port) is None:
            return f"{local.web_base_url}/web/ ({local.web_host}:{local.web_port})"
        return say("off")
    if settings.web_base_url and place is not None and place.what != "health":
        return f"{settings.web_base_url} ({place.host}:{place.port})"
    return say("off")


def start_line(settings: Settings, granted: Sequence[str] = ()) -> str:
    """The one line that says what this process is about to run (`granted`: the admins the
    database names besides OCOP_ADMINS)."""
    place = listener(settings)
    console = _console(settings)
    health = f"http://{place.host}:{place.port}/healthz" if place is not None else say("off")
    return say("start", version=version(), db=shown_database(settings),
               channels=channels_of(settings), admins=admins_of(settings, granted),
               console=console, health=health)


def start_checks(settings: Settings) -> None:
    """Refuse to start on a setting that cannot work; name unknown variables.

    Without any channel the bot chats in the terminal, which needs a terminal: a service
    (systemd, a container) without a token stops here with a line instead of exiting 0.
    """
    warn_unknown()
    check(settings, current())
    if not has_channel(settings) and not sys.stdin.isatty():
        raise stop(USAGE, "no_channel", env_file=Path(".env").absolute())


def announce(settings: Settings, granted: Sequence[str] = ()) -> None:
    """Say what this process runs (once it holds the database)."""
    typer.echo(start_line(settings, granted), err=True)
